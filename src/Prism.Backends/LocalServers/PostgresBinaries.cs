using System.Collections.Concurrent;
using System.Diagnostics;

namespace Prism.Backends.LocalServers;

/// <summary>
/// The installed PostgreSQL server programs (Debian layout: <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>),
/// run as the unprivileged <c>postgres</c> user when the tests run as root.
/// </summary>
public sealed class PostgresBinaries
{
    private const string Root = "/usr/lib/postgresql";
    private const string ServiceUser = "postgres";

    private PostgresBinaries(string directory) => Directory = directory;

    /// <summary>Folder holding initdb, postgres, pg_ctl, pg_isready and createdb.</summary>
    public string Directory { get; }

    /// <summary>True when server processes must drop root privileges (PostgreSQL refuses to run as root).</summary>
    public static bool RunsAsServiceUser => Environment.IsPrivilegedProcess;

    /// <summary>The newest installed version.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed; the message names the Debian package.</exception>
    public static PostgresBinaries Find()
    {
        var candidates = System.IO.Directory.Exists(Root)
            ? System.IO.Directory.GetDirectories(Root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.Count > 0
            ? new PostgresBinaries(candidates[0])
            : throw new InvalidOperationException(
                $"PostgreSQL server binaries not found under {Root}/*/bin. Install the Debian package 'postgresql' (apt-get install -y postgresql) "
                + "or run 'make test', which installs missing test servers.");
    }

    /// <summary>Start information for <paramref name="program"/>, wrapped to run as the service user when needed.</summary>
    public ProcessStartInfo StartInfo(string program, string workingDirectory, params string[] arguments)
    {
        var path = Path.Combine(Directory, program);
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (RunsAsServiceUser)
        {
            // setpriv execs the program, so the process id we hold is the program's own.
            start.FileName = "setpriv";
            foreach (var option in new[] { $"--reuid={ServiceUser}", $"--regid={ServiceUser}", "--init-groups", "--" })
            {
                start.ArgumentList.Add(option);
            }

            start.ArgumentList.Add(path);
        }
        else
        {
            start.FileName = path;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        return start;
    }

    /// <summary>Runs a program to completion; a non-zero exit throws with its output.</summary>
    public async Task<string> RunAsync(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(program, workingDirectory, arguments))!;
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Collect(output, e.Data);
        process.ErrorDataReceived += (_, e) => Collect(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new TimeoutException($"{program} did not finish within {timeout}: {string.Join('\n', output)}");
        }

        var text = string.Join('\n', output);
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {text}");
    }

    /// <summary>
    /// Replaces the pg_hba.conf of a new cluster: <paramref name="trustedUser"/> (the cluster's own
    /// user) and local sockets connect without a password; every other role, per-session roles of
    /// dynamic credentials among them, must present its password over TCP, so <c>VALID UNTIL</c> and
    /// revocation hold as they would in production.
    /// </summary>
    public static void RequirePasswordsExceptFor(string dataDirectory, string trustedUser) =>
        File.WriteAllText(Path.Combine(dataDirectory, "pg_hba.conf"), $"""
            local all all trust
            host all {trustedUser} 127.0.0.1/32 trust
            host all {trustedUser} ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256

            """);

    /// <summary>Hands <paramref name="directory"/> to the service user so the server can write there.</summary>
    public static async Task GiveToServiceUserAsync(string directory)
    {
        if (!RunsAsServiceUser)
        {
            return;
        }

        var start = new ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-R", $"{ServiceUser}:{ServiceUser}", directory })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown of {directory} to {ServiceUser} failed: {error}");
        }
    }

    /// <summary>Adds a line of server output, keeping the last 200 for error messages.</summary>
    public static void Collect(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 200 && lines.TryDequeue(out _))
        {
        }
    }
}
