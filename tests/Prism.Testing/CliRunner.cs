using System.Diagnostics;

namespace Prism.Testing;

/// <summary>Result of running a command-line program.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>Runs a .NET program (its main dll) as a separate process, as a user would from a shell.</summary>
public static class CliRunner
{
    /// <summary>
    /// How to run <c>dotnet <paramref name="assemblyPath"/> <paramref name="arguments"/></c> with all three
    /// standard streams redirected and the given extra environment (a null value removes a variable).
    /// </summary>
    public static ProcessStartInfo StartInfo(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment) =>
        Command("dotnet", [assemblyPath, .. arguments], environment);

    /// <summary>How to run <paramref name="program"/>, as <see cref="StartInfo"/> does for a .NET assembly.</summary>
    public static ProcessStartInfo Command(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>
    /// Runs <c>dotnet <paramref name="assemblyPath"/> <paramref name="arguments"/></c> with the given extra
    /// environment (a null value removes a variable) and kills it if it outlives <paramref name="timeout"/>.
    /// </summary>
    public static Task<CliResult> RunAsync(
        string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null, string? standardInput = null) =>
        RunAsync(StartInfo(assemblyPath, arguments, environment), timeout, standardInput);

    /// <summary>Runs <paramref name="start"/> to its end, killing its process tree if it outlives <paramref name="timeout"/> (default 60 s).</summary>
    public static async Task<CliResult> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)}' did not finish in {timeout}: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
