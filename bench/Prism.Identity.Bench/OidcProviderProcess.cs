using System.Diagnostics;

namespace Prism.Identity.Bench;

/// <summary>node oidc-provider (bench/Prism.Identity.Bench/oidc-provider) as a child process; <c>npm ci</c> runs first when node_modules is missing.</summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    private readonly Process _process;

    private OidcProviderProcess(Process process, int port)
    {
        _process = process;
        TokenEndpoint = $"http://127.0.0.1:{port}/token";
    }

    public string TokenEndpoint { get; }

    public static async Task<OidcProviderProcess> StartAsync(int port, string clientId, string clientSecret)
    {
        var directory = FindDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            Console.Error.WriteLine($"npm ci in {directory}");
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = directory })!;
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci failed in {directory} (exit {npm.ExitCode}).");
            }
        }

        var start = new ProcessStartInfo("node", ["server.mjs", $"{port}", clientId, clientSecret])
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        process.ErrorDataReceived += (_, _) => { }; // its development warnings are expected
        process.BeginErrorReadLine();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready != "listening")
        {
            process.Kill();
            throw new InvalidOperationException($"oidc-provider did not start (printed '{ready}').");
        }

        return new OidcProviderProcess(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bench", "Prism.Identity.Bench", "oidc-provider");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("bench/Prism.Identity.Bench/oidc-provider not found above " + AppContext.BaseDirectory);
    }
}
