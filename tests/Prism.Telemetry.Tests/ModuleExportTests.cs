using System.Text.Json;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prism.Hosting.Modules;
using Prism.Hosting.Settings;
using Prism.Hosting.Telemetry;
using Prism.Testing;

namespace Prism.Telemetry.Tests;

/// <summary>Tracing listeners are process-wide: these tests run alone so no other test's requests become spans.</summary>
[CollectionDefinition(ModuleExportTests.Serial, DisableParallelization = true)]
public sealed class SerialExportCollection;

/// <summary>
/// Modules started through ModuleHost export over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set
/// (as a configuration key here; a process takes it from the environment), under their own service name.
/// </summary>
[Collection(Serial)]
public sealed class ModuleExportTests
{
    public const string Serial = "serial export";

    [Fact]
    public async Task TwoModulesInOneProcess_ExportOnlyTheirOwnSpans_WithoutSecrets()
    {
        await using var receiver = await Receiver.StartAsync();
        var otel = new Dictionary<string, string?>
        {
            [OtelEnvironment.Endpoint] = receiver.OtlpGrpc.ToString(),
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        };
        await using var alpha = await ModuleApp.StartAsync(new ProbeModule("alpha"), otel);
        await using var beta = await ModuleApp.StartAsync(new ProbeModule("beta"), otel);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using (var response = await http.GetAsync(new Uri(alpha.BaseAddress, "/hello?token=s3cr3t-value")).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The test's own HttpClient span is unclaimed by any module and may be exported by the first
        // module of the process: pick the trace of the request handled inside the module.
        var traces = await receiver.PollAsync("/api/traces?service=prism-alpha", j => j.GetArrayLength() > 0);
        JsonElement? handled = null;
        foreach (var candidate in traces.EnumerateArray())
        {
            var spans = await receiver.PollAsync("/api/traces/" + candidate.GetProperty("traceId").GetString(), _ => true);
            if (spans.GetRawText().Contains("say-hello", StringComparison.Ordinal))
            {
                handled = candidate;
                var text = spans.GetRawText();
                Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
                Assert.Contains("/hello", text, StringComparison.Ordinal);
            }
        }

        Assert.True(handled.HasValue, traces.GetRawText());
        var trace = handled.Value;

        // The probe logs inside the request: the log record carries the trace id.
        var logs = await receiver.PollAsync("/api/logs?service=prism-alpha&q=hello%20served", j => j.GetArrayLength() > 0);
        Assert.Equal(trace.GetProperty("traceId").GetString(), Assert.Single(logs.EnumerateArray()).GetProperty("traceId").GetString());

        await Task.Delay(500);
        var betaTraces = await receiver.PollAsync("/api/traces?service=prism-beta", _ => true);
        var first = betaTraces.GetArrayLength() == 0 ? "" : (await receiver.PollAsync("/api/traces/" + betaTraces[0].GetProperty("traceId").GetString(), _ => true)).GetRawText();
        Assert.True(betaTraces.GetArrayLength() == 0, first);
    }

    [Fact]
    public async Task WithoutAnEndpoint_NothingIsExported()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var gamma = await ModuleApp.StartAsync(new ProbeModule("gamma"), new Dictionary<string, string?>());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using (await http.GetAsync(new Uri(gamma.BaseAddress, "/hello")).WaitAsync(TimeSpan.FromSeconds(10)))
        {
        }

        await Task.Delay(500);
        Assert.Equal(0, (await receiver.PollAsync("/api/services", _ => true)).GetArrayLength());
    }

    /// <summary>A minimal module: GET /hello starts a span of its own source and logs a line.</summary>
    private sealed class ProbeModule(string name) : PrismModule
    {
        private static readonly Setting Port = new("PRISM_PROBE_PORT", "probe:port", "0", "test only");
        private readonly System.Diagnostics.ActivitySource _source = new("Prism." + char.ToUpperInvariant(name[0]) + name[1..]);

        public override string Name => name;

        public override Setting PortSetting => Port;

        public override void ConfigureServices(WebApplicationBuilder builder)
        {
        }

        public override void MapEndpoints(WebApplication app) =>
            app.MapGet("/hello", (Microsoft.Extensions.Logging.ILoggerFactory logs) =>
            {
                using var activity = _source.StartActivity("say-hello");
                Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logs.CreateLogger("probe"), "hello served");
                return Results.Text("hello");
            });

        public override HealthProbe Health(Uri baseAddress) => new(HealthProbeKind.Http, baseAddress);
    }
}
