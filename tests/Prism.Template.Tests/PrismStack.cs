using System.Globalization;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Prism.Host;
using Prism.Testing;

namespace Prism.Template.Tests;

/// <summary>
/// A real stack in one <c>prism serve --modules telemetry,identity,admin,proxy</c> process on free ports, in
/// its own PRISM_HOME: the embedded identity provider, admin, the data proxy, and the hand-written telemetry
/// viewer as the OTLP receiver every module (and the generated service) exports to, read through its /api.
/// </summary>
internal sealed class PrismStack : IAsyncDisposable
{
    /// <summary>The extra audience the identity provider puts in its tokens: the generated service's.</summary>
    public const string ServiceAudience = "orders";

    private readonly TempDirectory _home = new("prism-template-stack");
    private readonly ChildProcess _process;

    private PrismStack()
    {
        var identityPort = FreePort.Next();
        Issuer = $"http://127.0.0.1:{identityPort}/dex";
        AdminEndpoint = $"http://127.0.0.1:{FreePort.Next()}";
        ProxyEndpoint = $"http://127.0.0.1:{FreePort.Next()}";
        TelemetryApi = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var otlpGrpcPort = FreePort.Next();
        OtlpEndpoint = $"http://127.0.0.1:{otlpGrpcPort}";
        var environment = new Dictionary<string, string?>
        {
            ["PRISM_HOME"] = _home.Path,
            ["PRISM_ENV"] = null,
            ["PRISM_CONFIG"] = null,
            ["PRISM_BIND_ADDRESS"] = "127.0.0.1",
            ["PRISM_IDENTITY_PORT"] = Text(identityPort),
            ["PRISM_IDENTITY_ISSUER"] = Issuer,
            ["PRISM_IDENTITY_AUDIENCES"] = ServiceAudience,
            ["PRISM_OIDC_ISSUER"] = Issuer,
            ["PRISM_ADMIN_PORT"] = Text(new Uri(AdminEndpoint).Port),
            ["PRISM_PROXY_PORT"] = Text(new Uri(ProxyEndpoint).Port),
            ["PRISM_METRICS_PORT"] = "0",
            ["PRISM_TELEMETRY_UI_PORT"] = Text(TelemetryApi.Port),
            ["PRISM_TELEMETRY_OTLP_GRPC_PORT"] = Text(otlpGrpcPort),
            ["PRISM_TELEMETRY_OTLP_HTTP_PORT"] = Text(FreePort.Next()),
            // Nothing listens there: namespaces of this test use the in-process memory backend, never a helper's server.
            ["PRISM_REDIS_URL"] = $"127.0.0.1:{FreePort.Next()}",
            ["PRISM_NATS_URL"] = $"nats://127.0.0.1:{FreePort.Next()}",
            ["PRISM_POSTGRES_URL"] = $"postgres://prism@127.0.0.1:{FreePort.Next()}/prism",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtlpEndpoint,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        _process = ChildProcess.StartDotnet("prism serve", typeof(ModuleCatalog).Assembly.Location,
            ["serve", "--modules", "telemetry,identity,admin,proxy"], environment);
    }

    public string Issuer { get; }

    public string AdminEndpoint { get; }

    public string ProxyEndpoint { get; }

    /// <summary>The viewer's address (JSON API under /api).</summary>
    public Uri TelemetryApi { get; }

    /// <summary>Its OTLP/gRPC receiver.</summary>
    public string OtlpEndpoint { get; }

    /// <summary>Starts the stack and waits until every module answers its health check.</summary>
    public static async Task<PrismStack> StartAsync()
    {
        var stack = new PrismStack();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var patience = TimeSpan.FromSeconds(90);
            await stack._process.WaitUntilAsync(async () => (await http.GetAsync(new Uri(stack.TelemetryApi, "/healthz"))).IsSuccessStatusCode, "telemetry healthy", patience);
            await stack._process.WaitUntilAsync(async () => (await http.GetAsync(new Uri(stack.Issuer + "/healthz"))).IsSuccessStatusCode, "identity healthy", patience);
            await stack._process.WaitUntilAsync(() => ServingAsync(stack.AdminEndpoint), "admin serving", patience);
            await stack._process.WaitUntilAsync(() => ServingAsync(stack.ProxyEndpoint), "proxy serving", patience);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public string Output => _process.Output;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _home.Dispose();
    }

    private static async Task<bool> ServingAsync(string endpoint)
    {
        using var channel = GrpcChannel.ForAddress(endpoint);
        var answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
        return answer.Status == HealthCheckResponse.Types.ServingStatus.Serving;
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
