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
    public static ProcessStartInfo StartInfo(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
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
    public static async Task<CliResult> RunAsync(
        string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null, string? standardInput = null)
    {
        var start = StartInfo(assemblyPath, arguments, environment);
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
            throw new TimeoutException($"'{Path.GetFileName(assemblyPath)} {string.Join(' ', arguments)}' did not finish in {timeout}: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
