using System.Net;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Settings;
using Prism.Hosting.Telemetry;
using Prism.Testing;

namespace Prism.Telemetry.Tests;

/// <summary>The process-wide Prometheus listener: /metrics, disabled by 0, a taken port skipped with one warning.</summary>
public sealed class MetricsServerTests
{
    [Fact]
    public async Task Metrics_AreExposed_AndASecondProcessOnThePortSkips()
    {
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?> { [TelemetrySettings.MetricsPort.Key] = port, [CoreSettings.BindAddress.Key] = "127.0.0.1" };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var module = new TelemetryModule();
        await using var first = await PrismMetricsServer.StartAsync([module], [], settings, cancellationToken: cancel.Token);
        Assert.NotNull(first);

        var logs = new CapturedLogs();
        var second = await PrismMetricsServer.StartAsync([module], [], settings, l => l.AddProvider(logs), cancel.Token);
        var disabled = await PrismMetricsServer.StartAsync([module], [], new Dictionary<string, string?> { [TelemetrySettings.MetricsPort.Key] = "0" }, cancellationToken: cancel.Token);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _ = await http.GetStringAsync(new Uri(first.Address, "/metrics")).WaitAsync(TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync(new Uri(first.Address, "/metrics")).WaitAsync(TimeSpan.FromSeconds(10));
        var text = await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("# TYPE", text);
        Assert.Matches("target_info\\{[^}]*service_name=\"prism-telemetry\"", text); // the module, not just "prism"
        Assert.Null(second);
        Assert.Null(disabled);
        Assert.Contains(logs.Entries, e => e.Message.Contains("metrics port " + port + " is in use", StringComparison.Ordinal));
    }
}
