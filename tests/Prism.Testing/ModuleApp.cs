using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Modules;
using Prism.Hosting.Settings;

namespace Prism.Testing;

/// <summary>
/// A real module started in the test process on a loopback port, configured in memory.
/// Logs are captured so tests can assert on them.
/// </summary>
public sealed class ModuleApp : IAsyncDisposable
{
    private ModuleApp(WebApplication app, CapturedLogs logs)
    {
        App = app;
        Logs = logs;
        BaseAddress = ModuleHost.BoundAddress(app);
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Builds and starts <paramref name="module"/> with <paramref name="settings"/> (configuration keys) on top of its defaults.</summary>
    public static async Task<ModuleApp> StartAsync(PrismModule module, IReadOnlyDictionary<string, string?> settings)
    {
        var logs = new CapturedLogs();
        var overrides = new Dictionary<string, string?>(settings);
        overrides.TryAdd(CoreSettings.BindAddress.Key, "127.0.0.1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var app = await ModuleHost.StartAsync(module, [], overrides, logging => logging.AddProvider(logs), timeout.Token);
        return new ModuleApp(app, logs);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
