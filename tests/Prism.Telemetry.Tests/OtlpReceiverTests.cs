using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Prism.Telemetry.Tests;

/// <summary>OTLP/gRPC and OTLP/HTTP (protobuf and JSON) exports land in the store and the JSON API.</summary>
public sealed class OtlpReceiverTests
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task SdkTraceExport_AppearsInApiTraces(OtlpExportProtocol protocol)
    {
        await using var receiver = await Receiver.StartAsync();
        var service = "sdk-" + protocol.ToString().ToLowerInvariant();
        var source = new ActivitySource("Prism.Telemetry.Tests." + protocol);
        var endpoint = protocol == OtlpExportProtocol.Grpc ? receiver.OtlpGrpc : new Uri(receiver.OtlpHttp, "/v1/traces");
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddSource(source.Name)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = protocol;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using (var parent = source.StartActivity("checkout"))
            {
                parent?.SetTag("cart.items", 3);
                using var child = source.StartActivity("charge");
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        var traces = await receiver.PollAsync($"/api/traces?service={service}", j => j.GetArrayLength() > 0);
        var trace = Assert.Single(traces.EnumerateArray());
        Assert.Equal("checkout", trace.GetProperty("rootName").GetString());
        Assert.Equal(2, trace.GetProperty("spanCount").GetInt32());

        var detail = await receiver.PollAsync("/api/traces/" + trace.GetProperty("traceId").GetString(), _ => true);
        var spans = detail.GetProperty("spans").EnumerateArray().ToList();
        var charge = spans.Single(s => s.GetProperty("name").GetString() == "charge");
        Assert.Equal(spans.Single(s => s.GetProperty("name").GetString() == "checkout").GetProperty("spanId").GetString(),
            charge.GetProperty("parentSpanId").GetString());
    }

    [Fact]
    public async Task SdkMetricExport_OverGrpc_AppearsInApiMetrics()
    {
        await using var receiver = await Receiver.StartAsync();
        using var meter = new Meter("Prism.Telemetry.Tests.Metrics");
        var orders = meter.CreateCounter<long>("test.orders");
        using (var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("sdk-metrics"))
            .AddMeter(meter.Name)
            .AddOtlpExporter(o => o.Endpoint = receiver.OtlpGrpc)
            .Build())
        {
            orders.Add(5);
            Assert.True(metrics.ForceFlush(10_000));
        }

        var list = await receiver.PollAsync("/api/metrics?service=sdk-metrics", j => j.GetArrayLength() > 0);
        var metric = Assert.Single(list.EnumerateArray());
        Assert.Equal("test.orders", metric.GetProperty("name").GetString());
        Assert.Equal(5, metric.GetProperty("lastValue").GetDouble());
    }

    [Fact]
    public async Task OtlpJson_Traces_WithHexIds_AreStored()
    {
        await using var receiver = await Receiver.StartAsync();
        using var response = await PostJsonAsync(receiver, "/v1/traces", OtlpDocuments.Trace("json-svc", "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "GET /orders"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traces = await receiver.PollAsync("/api/traces?service=json-svc", j => j.GetArrayLength() > 0);
        Assert.Equal("5b8efff798038103d269b633813fc60c", Assert.Single(traces.EnumerateArray()).GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task OtlpJson_Logs_AreSearchable_ByTextServiceSeverityAndTrace()
    {
        await using var receiver = await Receiver.StartAsync();
        using var response = await PostJsonAsync(receiver, "/v1/logs", OtlpDocuments.Logs("json-svc", "5b8efff798038103d269b633813fc60c"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var warnings = await receiver.PollAsync("/api/logs?service=json-svc&severity=WARN", j => j.GetArrayLength() > 0);
        var log = Assert.Single(warnings.EnumerateArray());
        Assert.Equal("cache miss storm", log.GetProperty("body").GetString());
        var byTrace = await receiver.PollAsync("/api/logs?traceId=5b8efff798038103d269b633813fc60c&q=storm", j => j.GetArrayLength() > 0);
        Assert.Single(byTrace.EnumerateArray());
    }

    [Fact]
    public async Task UnsupportedContentType_Is415_AndOtlpPathsAreNotServedOnTheUiPort()
    {
        await using var receiver = await Receiver.StartAsync();
        using var http = new HttpClient { BaseAddress = receiver.OtlpHttp, Timeout = TimeSpan.FromSeconds(10) };
        using var text = await http.PostAsync("/v1/traces", new StringContent("hello", Encoding.UTF8, "text/plain")).WaitAsync(TimeSpan.FromSeconds(10));
        using var bad = await http.PostAsync("/v1/traces", new StringContent("{not json", Encoding.UTF8, "application/json")).WaitAsync(TimeSpan.FromSeconds(10));
        using var onUi = await receiver.Http.PostAsync("/v1/traces", new StringContent("{}", Encoding.UTF8, "application/json")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onUi.StatusCode);
    }

    internal static async Task<HttpResponseMessage> PostJsonAsync(Receiver receiver, string path, string json)
    {
        using var http = new HttpClient { BaseAddress = receiver.OtlpHttp, Timeout = TimeSpan.FromSeconds(10) };
        return await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
