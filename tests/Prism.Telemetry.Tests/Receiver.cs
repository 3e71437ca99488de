using System.Net.Http.Json;
using System.Text.Json;
using Prism.Hosting.Modules;
using Prism.Testing;

namespace Prism.Telemetry.Tests;

/// <summary>The telemetry module started in-process on three free ports, with helpers to poll its API.</summary>
public sealed class Receiver : IAsyncDisposable
{
    private Receiver(ModuleApp app)
    {
        App = app;
        var addresses = ModuleHost.BoundAddresses(app.App);
        Ui = addresses[0];
        OtlpGrpc = addresses[1];
        OtlpHttp = addresses[2];
        Http = new HttpClient { BaseAddress = Ui, Timeout = TimeSpan.FromSeconds(10) };
    }

    public ModuleApp App { get; }

    public Uri Ui { get; }

    public Uri OtlpGrpc { get; }

    public Uri OtlpHttp { get; }

    public HttpClient Http { get; }

    public static async Task<Receiver> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            [ViewerSettings.UiPort.Key] = "0",
            [ViewerSettings.OtlpGrpcPort.Key] = "0",
            [ViewerSettings.OtlpHttpPort.Key] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new Receiver(await ModuleApp.StartAsync(new TelemetryModule(), all));
    }

    /// <summary>GETs <paramref name="path"/> until <paramref name="done"/> holds for the JSON answer (10 s at most).</summary>
    public async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var json = await Http.GetFromJsonAsync<JsonElement>(path).WaitAsync(TimeSpan.FromSeconds(10));
            if (done(json) || DateTime.UtcNow > deadline)
            {
                return json;
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
