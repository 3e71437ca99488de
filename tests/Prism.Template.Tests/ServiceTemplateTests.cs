using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Prism.Cli;
using Prism.Testing;

namespace Prism.Template.Tests;

/// <summary>
/// <c>dotnet new prism-service -n Orders</c> as a developer runs it: the generated service, built from the
/// packed template and Prism.Client, runs against a real stack (identity, admin, proxy, telemetry), accepts
/// a token of the embedded identity provider and refuses a call without one, stores through the proxy,
/// serves its probes and metrics, and its request span and the proxy's span are one trace.
/// </summary>
public class ServiceTemplateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GeneratedService_ValidatesIdentityTokens_StoresThroughTheProxy_AndSharesItsTraceWithTheProxy()
    {
        using var project = await GeneratedProject.CreateAsync("Orders");
        Assert.DoesNotContain(project.SourceFiles(), f => File.ReadAllText(Path.Combine(project.Directory, f)).Contains("prismservice", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Orders.csproj", project.SourceFiles());
        Assert.Contains("Dockerfile", project.SourceFiles());
        Assert.Contains("README.md", project.SourceFiles());
        Assert.Contains(Path.Combine("deploy", "kustomize", "overlays", "dev", "kustomization.yaml"), project.SourceFiles());

        await using var stack = await PrismStack.StartAsync();
        await CreateNamespaceAsync(stack, "orders");

        var port = FreePort.Next();
        var metricsPort = FreePort.Next();
        await using var service = ChildProcess.StartDotnet("Orders", project.Assembly, [], new Dictionary<string, string?>
        {
            ["Service__Port"] = Text(port),
            ["Service__MetricsPort"] = Text(metricsPort),
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["PRISM_OIDC_ISSUER"] = stack.Issuer,
            ["PRISM_PROXY_ENDPOINT"] = stack.ProxyEndpoint,
            ["PRISM_CLIENT_ID"] = "prism-automation",
            ["PRISM_CLIENT_SECRET"] = "prism-automation-dev-secret",
            ["PRISM_NAMESPACE"] = null,
            ["PRISM_TOKEN"] = null,
            ["PRISM_TOKEN_FILE"] = null,
            ["PRISM_LOCAL_DEV"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = stack.OtlpEndpoint,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_SERVICE_NAME"] = null,
        }, project.Directory);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await service.WaitUntilAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "/readyz answers 200", Patience);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);

        // No token, a token that is not a JWT, or the issuer's ID token (not an access token, not for this
        // audience): 401 before anything reaches the proxy.
        using (var anonymous = await http.GetAsync(new Uri("/items/1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        }

        foreach (var wrong in new[] { "not-a-jwt", await DeveloperIdTokenAsync(stack) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/items/1", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ClientCredentialsTokenAsync(stack));
        using (var put = await http.PutAsync(new Uri("/items/42", UriKind.Relative), new ByteArrayContent("first order"u8.ToArray())))
        {
            Assert.True(put.StatusCode == HttpStatusCode.NoContent, $"PUT /items/42: {put.StatusCode} {await put.Content.ReadAsStringAsync()}\n{service.Output}");
        }

        using (var get = await http.GetAsync(new Uri("/items/42", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("first order", await get.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/items/missing", UriKind.Relative))).StatusCode);

        using (var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var exposition = await metrics.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
            Assert.Contains("http_server_request_duration_seconds", exposition, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        }

        await AssertOneTraceAsync(stack, service);
    }

    /// <summary>The PUT's server span of the service and a span of the proxy carry one trace id, the proxy's below the service's.</summary>
    private static async Task AssertOneTraceAsync(PrismStack stack, ChildProcess service)
    {
        using var viewer = new HttpClient { BaseAddress = stack.TelemetryApi, Timeout = TimeSpan.FromSeconds(10) };
        var seen = "";
        await service.WaitUntilAsync(async () =>
        {
            using var traces = JsonDocument.Parse(await viewer.GetStringAsync(new Uri("/api/traces?service=orders&limit=1000", UriKind.Relative)));
            foreach (var summary in traces.RootElement.EnumerateArray())
            {
                var id = summary.GetProperty("traceId").GetString()!;
                using var trace = JsonDocument.Parse(await viewer.GetStringAsync(new Uri($"/api/traces/{id}", UriKind.Relative)));
                var spans = trace.RootElement.GetProperty("spans").EnumerateArray().Select(Span.From).ToList();
                seen = string.Join(", ", spans.Select(s => $"{s.Service}:{s.Name} ({s.SpanId} < {s.ParentSpanId})"));
                var request = spans.FirstOrDefault(s => s.Service == "orders" && s.Kind.Contains("server", StringComparison.OrdinalIgnoreCase)
                    && s.Name.StartsWith("PUT", StringComparison.Ordinal));
                var proxy = spans.FirstOrDefault(s => s.Service == "prism-proxy" && s.Name.Contains("KeyValue", StringComparison.Ordinal));
                if (request is null || proxy is null)
                {
                    continue;
                }

                Assert.Equal(request.TraceId, proxy.TraceId);
                Assert.True(IsDescendant(proxy, request, spans), $"the proxy span {proxy.Name} is not below {request.Name}: {seen}");
                return true;
            }

            return false;
        }, $"a trace with the service's PUT span and the proxy's span in the viewer (last seen: {seen})", Patience);
    }

    private static bool IsDescendant(Span span, Span ancestor, List<Span> spans)
    {
        for (var current = span; current.ParentSpanId is { Length: > 0 } parent;)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            current = spans.FirstOrDefault(s => s.SpanId == parent);
            if (current is null)
            {
                return false;
            }
        }

        return false;
    }

    private sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, string Service, string Kind)
    {
        public static Span From(JsonElement e) => new(
            e.GetProperty("traceId").GetString()!, e.GetProperty("spanId").GetString()!,
            e.TryGetProperty("parentSpanId", out var parent) && parent.ValueKind == JsonValueKind.String ? parent.GetString() : null,
            e.GetProperty("name").GetString()!, e.GetProperty("service").GetString()!, e.GetProperty("kind").GetString()!);
    }

    /// <summary>prismctl as the local developer creates the service's namespace with KeyValue.</summary>
    private static async Task CreateNamespaceAsync(PrismStack stack, string name)
    {
        using var home = new TempDirectory("prismctl-home");
        var created = await CliRunner.RunAsync(typeof(ExitCodes).Assembly.Location, ["namespace", "create", name, "--pattern", "keyvalue"], new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = home.Path,
            ["PRISM_ADMIN_ENDPOINT"] = stack.AdminEndpoint,
            ["PRISM_OIDC_ISSUER"] = stack.Issuer,
            ["PRISM_LOCAL_DEV"] = "true",
            ["PRISM_TOKEN"] = null,
            ["PRISM_CLIENT_ID"] = null,
            ["PRISM_CLIENT_SECRET"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        }, Patience);
        Assert.True(created.ExitCode == 0, $"{created}\n{stack.Output}");
    }

    /// <summary>A client_credentials token of the built-in automation client; its aud carries the service's audience (PRISM_IDENTITY_AUDIENCES).</summary>
    private static Task<string> ClientCredentialsTokenAsync(PrismStack stack) => TokenAsync(stack, "access_token", new()
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = "prism-automation",
        ["client_secret"] = "prism-automation-dev-secret",
    });

    /// <summary>The developer's ID token (password grant through prismctl's public client).</summary>
    private static Task<string> DeveloperIdTokenAsync(PrismStack stack) => TokenAsync(stack, "id_token", new()
    {
        ["grant_type"] = "password",
        ["client_id"] = "prismctl",
        ["username"] = "dev@local.prism",
        ["password"] = "devpass",
        ["scope"] = "openid email groups",
    });

    private static async Task<string> TokenAsync(PrismStack stack, string field, Dictionary<string, string> grant)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent(grant);
        using var answer = await http.PostAsync(new Uri(stack.Issuer + "/token"), form);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"token endpoint ({grant["grant_type"]}): {answer.StatusCode}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty(field).GetString()!;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
