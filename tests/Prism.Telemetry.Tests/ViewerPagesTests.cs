using System.Net;

namespace Prism.Telemetry.Tests;

/// <summary>The pages render the stored data and HTML-encode everything that came from telemetry.</summary>
public sealed class ViewerPagesTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task Pages_Render_AndEncodeTelemetryText()
    {
        await using var receiver = await Receiver.StartAsync();
        using (await OtlpReceiverTests.PostJsonAsync(receiver, "/v1/traces", OtlpDocuments.Trace("ui-svc", TraceId, "b7ad6b7169203331", "<script>alert(1)</script>")))
        using (await OtlpReceiverTests.PostJsonAsync(receiver, "/v1/traces", OtlpDocuments.Trace("ui-svc", TraceId, "00f067aa0ba902b7", "child", "b7ad6b7169203331")))
        using (await OtlpReceiverTests.PostJsonAsync(receiver, "/v1/logs", OtlpDocuments.Logs("ui-svc", TraceId)))
        {
        }

        await receiver.PollAsync("/api/traces", j => j.GetArrayLength() > 0);
        var home = await GetAsync(receiver, "/?service=ui-svc");
        var trace = await GetAsync(receiver, "/traces/" + TraceId);
        var logs = await GetAsync(receiver, "/logs?severity=WARN");
        var charts = await GetAsync(receiver, "/charts");

        foreach (var page in new[] { home, trace })
        {
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
            Assert.DoesNotContain("<script>", page);
        }

        Assert.Contains($"/traces/{TraceId}", home);
        Assert.Contains("child", trace);
        Assert.Contains("padding-left:24px", trace);
        Assert.Contains("http.route", trace);
        Assert.Contains("cache miss storm", logs);
        Assert.DoesNotContain(">started<", logs);
        Assert.Contains("<h1>Metrics</h1>", charts);
    }

    [Fact]
    public async Task MetricChart_IsInlineSvg_AndHealthAnswers()
    {
        await using var receiver = await Receiver.StartAsync();
        var store = (Store.TelemetryStore)receiver.App.Services.GetService(typeof(Store.TelemetryStore))!;
        store.AddMetricPoints([
            new("chart-svc", "queue.depth", "{item}", "gauge", 1_000_000_000, 3, 1, []),
            new("chart-svc", "queue.depth", "{item}", "gauge", 2_000_000_000, 7, 1, []),
        ]);

        var page = await GetAsync(receiver, "/charts?name=queue.depth&service=chart-svc");
        using var health = await receiver.Http.GetAsync("/healthz").WaitAsync(TimeSpan.FromSeconds(10));
        using var missing = await receiver.Http.GetAsync("/traces/ffffffffffffffffffffffffffffffff").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("<svg", page);
        Assert.Contains("<polyline", page);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<string> GetAsync(Receiver receiver, string path)
    {
        using var response = await receiver.Http.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
