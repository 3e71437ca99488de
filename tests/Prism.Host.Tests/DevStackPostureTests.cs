using System.Text.Json;

namespace Prism.Host.Tests;

/// <summary>
/// The whole local stack as `make dev-up` starts it: the development warnings it must show, and the Aspire dashboard
/// as its telemetry viewer, where a prismctl command's trace shows up.
/// </summary>
public class DevStackPostureTests
{
    [Fact]
    public async Task DevUp_TheWholeStack_EveryModuleAndBackendLogsItsInsecureDefaultLine_AndTracesReachTheDashboard()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_REDIS_URL"] = $"127.0.0.1:{Prism.Testing.FreePort.Next()}";
        prism.Environment["PRISM_NATS_URL"] = $"nats://127.0.0.1:{Prism.Testing.FreePort.Next()}";
        prism.Environment["PRISM_POSTGRES_URL"] = $"postgres://prism@127.0.0.1:{Prism.Testing.FreePort.Next()}/prism";

        var modules = await prism.RunAsync("dev", "up");
        var backends = await prism.RunAsync("dev", "up", "redis", "postgres", "nats");

        Assert.True(modules.ExitCode == 0, modules.ToString());
        Assert.True(backends.ExitCode == 0, backends.ToString());
        var expected = new Dictionary<string, string>
        {
            ["telemetry"] = "telemetry", ["identity"] = "identity", ["admin"] = "admin", ["proxy"] = "proxy", ["console"] = "console",
            ["redis"] = "redis", ["postgres"] = "postgres", ["nats"] = "nats",
        };
        foreach (var (service, dependency) in expected)
        {
            var log = await File.ReadAllTextAsync(Path.Combine(prism.Home, "logs", service + ".log"));
            Assert.True(log.Contains($"level=WARN msg=\"insecure default active in dev mode\" env=dev dependency={dependency} prod_delta=", StringComparison.Ordinal),
                $"{service}.log has no warning line for {dependency}:\n{log}");
        }

        // The viewer is the Aspire dashboard: dev up printed its URL; prismctl run with the stack's environment
        // (dev run) logs in by itself and its CreateNamespace trace reaches the dashboard, client and admin spans together.
        var dashboard = new Uri($"http://localhost:{prism.Environment["PRISM_TELEMETRY_UI_PORT"]}");
        Assert.Contains($"telemetry  healthy", modules.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(dashboard.ToString(), modules.StandardOutput, StringComparison.Ordinal);
        var create = await prism.RunAsync("dev", "run", "--", "dotnet", typeof(Prism.Cli.ExitCodes).Assembly.Location, "namespace", "create", "traced");
        Assert.True(create.ExitCode == 0, create.ToString());

        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var spans = Spans(await http.GetStringAsync(new Uri("/api/telemetry/spans", UriKind.Relative)));
            var server = spans.FirstOrDefault(s => s.Service == "prism-admin" && s.Name.Contains("CreateNamespace", StringComparison.Ordinal));
            if (server is not null && spans.Any(s => s.Service == "prism-cli" && s.TraceId == server.TraceId))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "no CreateNamespace trace with prism-cli and prism-admin spans in the dashboard after 30 s: "
                + string.Join(", ", spans.Select(s => $"{s.Service}:{s.Name}")));
            await Task.Delay(500);
        }
    }

    private sealed record Span(string Service, string Name, string TraceId);

    /// <summary>The spans of the dashboard's OTLP JSON answer, with their resource's service.name.</summary>
    private static List<Span> Spans(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<Span>();
        foreach (var resource in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resource.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString()).FirstOrDefault() ?? "";
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                spans.AddRange(scope.GetProperty("spans").EnumerateArray()
                    .Select(s => new Span(service, s.GetProperty("name").GetString() ?? "", s.GetProperty("traceId").GetString() ?? "")));
            }
        }

        return spans;
    }
}
