using System.Diagnostics;
using Prism.Testing;

namespace Prism.Proxy.Tests.Support;

/// <summary>
/// Runs the Node.js client in <c>tests/external-client</c>, installing its pinned packages with
/// <c>npm ci</c> first when <c>node_modules</c> is missing.
/// </summary>
public static class NodeClient
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>The client's folder.</summary>
    public static string Folder { get; } = Path.Combine(RepositoryRoot.Path, "tests", "external-client");

    /// <summary>Runs <c>node client.js</c> with <paramref name="arguments"/>.</summary>
    public static async Task<CliResult> RunAsync(params string[] arguments)
    {
        await EnsureInstalledAsync();
        return await RunProcessAsync("node", ["client.js", .. arguments], TimeSpan.FromSeconds(30));
    }

    /// <summary>Runs <c>node queue.js</c> with <paramref name="arguments"/> to its end.</summary>
    public static async Task<CliResult> RunQueueAsync(params string[] arguments)
    {
        await EnsureInstalledAsync();
        return await RunProcessAsync("node", ["queue.js", .. arguments], TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts <c>node queue.js</c> with <paramref name="arguments"/> and returns at once; read its output line by line.</summary>
    public static async Task<NodeProcess> StartQueueAsync(params string[] arguments)
    {
        await EnsureInstalledAsync();
        return NodeProcess.Start(Folder, "queue.js", arguments);
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync(Timeouts.Await);
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "@grpc", "grpc-js")))
            {
                return;
            }

            var install = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
            Assert.True(install.ExitCode == 0, $"npm ci in {Folder} failed (the npm registry must be reachable once):\n{install}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<CliResult> RunProcessAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{program}' is not installed or not on PATH; the external-client test needs Node.js 18+ and npm (apt-get install nodejs npm).", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}");
            }

            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
    }
}
