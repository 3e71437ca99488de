using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Prism.Admin;
using Prism.Hosting.Modules;
using Prism.Identity;
using Prism.Telemetry;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>
/// One `prismctl namespace create` reaches an OTLP receiver as one trace holding prismctl's span and
/// the admin server's spans under it.
/// </summary>
public class TraceExportTests
{
    [Fact]
    public async Task NamespaceCreate_ExportsPrismctlAndAdminSpans_UnderOneTraceId()
    {
        using var home = new TempDirectory("prism-trace");
        await using var receiver = await ModuleApp.StartAsync(new TelemetryModule(), new Dictionary<string, string?>
        {
            [ViewerSettings.UiPort.Key] = "0", [ViewerSettings.OtlpGrpcPort.Key] = "0", [ViewerSettings.OtlpHttpPort.Key] = "0",
        });
        var addresses = ModuleHost.BoundAddresses(receiver.App);
        var (ui, otlp) = (addresses[0], addresses[1].ToString().TrimEnd('/'));

        var identityPort = FreePort.Next();
        var issuer = $"http://127.0.0.1:{identityPort}/dex";
        await using var identity = await ModuleApp.StartAsync(new IdentityModule(), new Dictionary<string, string?>
        {
            ["home"] = home.Path, ["identity:port"] = identityPort.ToString(CultureInfo.InvariantCulture), ["identity:issuer"] = issuer,
        });
        await using var admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>
        {
            ["home"] = home.Path,
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["security:oidc_issuer"] = issuer,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });

        using var cliHome = new TempDirectory("prismctl-trace");
        var result = await CliRunner.RunAsync(Prismctl.Assembly, ["namespace", "create", "traced"], new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = cliHome.Path,
            ["PRISM_ADMIN_ENDPOINT"] = admin.BaseAddress.ToString().TrimEnd('/'),
            ["PRISM_OIDC_ISSUER"] = issuer,
            ["PRISM_LOCAL_DEV"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp,
        }, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());

        using var http = new HttpClient { BaseAddress = ui, Timeout = TimeSpan.FromSeconds(10) };
        // Spans arrive in batches from two processes: wait until the admin's server span is in.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await AdminSpanUnderPrismctlAsync(http))
        {
            await Task.Delay(200, timeout.Token);
        }
    }

    private static async Task<bool> AdminSpanUnderPrismctlAsync(HttpClient http)
    {
        var traces = await http.GetFromJsonAsync<JsonElement>("/api/traces?service=prism-cli&limit=1000");
        foreach (var summary in traces.EnumerateArray())
        {
            var trace = await http.GetFromJsonAsync<JsonElement>($"/api/traces/{summary.GetProperty("traceId").GetString()}");
            var spans = trace.GetProperty("spans").EnumerateArray().ToList();
            var cliSpanIds = spans.Where(s => s.GetProperty("service").GetString() == "prism-cli").Select(s => s.GetProperty("spanId").GetString()).ToHashSet();
            if (spans.Any(s => s.GetProperty("service").GetString() == "prism-admin"
                && s.GetProperty("parentSpanId").GetString() is { } parent && cliSpanIds.Contains(parent)))
            {
                return true;
            }
        }

        return false;
    }
}
