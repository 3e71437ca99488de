using System.Globalization;
using System.Security.Cryptography;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Soak;

/// <summary>
/// The production topology on loopback: PostgreSQL as the shared control store, clustered engines,
/// an identity provider, 2 admins and 3 proxies in production posture (TLS, no development fixture)
/// behind HAProxy.
/// </summary>
internal sealed class Topology : IAsyncDisposable
{
    public const string ClientId = "soak-load";

    private readonly List<IAsyncDisposable> _owned = [];

    private Topology(TempDirectory folder, TestCertificates certificates, string clientSecret)
    {
        Folder = folder;
        Certificates = certificates;
        ClientSecret = clientSecret;
        Http = new HttpClient(certificates.Handler()) { Timeout = TimeSpan.FromSeconds(2) };
    }

    public TempDirectory Folder { get; }

    public TestCertificates Certificates { get; }

    public string ClientSecret { get; }

    public HttpClient Http { get; }

    public SoakEngines Engines { get; private set; } = null!;

    public PrismProcess Identity { get; private set; } = null!;

    public IReadOnlyList<PrismProcess> Admins { get; private set; } = [];

    public IReadOnlyList<PrismProcess> Proxies { get; private set; } = [];

    public HaProxy Balancer { get; private set; } = null!;

    public Uri Issuer => new($"https://127.0.0.1:{Identity.Port}/dex");

    public Uri ProxyEndpoint => new($"https://127.0.0.1:{Balancer.ProxyPort}");

    public Uri AdminEndpoint => new($"https://127.0.0.1:{Balancer.AdminPort}");

    public static async Task<Topology> StartAsync(Action<string> say)
    {
        var topology = new Topology(new TempDirectory("prism-soak"), new TestCertificates(), RandomNumberGenerator.GetHexString(32, lowercase: true));
        try
        {
            await topology.StartAllAsync(say);
            return topology;
        }
        catch
        {
            await topology.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(Action<string> say)
    {
        var postgres = await PostgresServer.StartAsync();
        _owned.Add(postgres);
        var database = await postgres.CreateDatabaseAsync();
        say($"PostgreSQL control store on port {postgres.Port}");

        Engines = await SoakEngines.StartAsync();
        _owned.Add(Engines);
        say($"engines: {Engines.Description}");

        var identityPort = FreePort.Next();
        Identity = new PrismProcess("identity", "identity", identityPort, IdentityEnvironment(identityPort), Folder.Path, Http,
            readyPath: "/dex/.well-known/openid-configuration");
        _owned.Add(Identity);
        Identity.Start();
        await Identity.WaitReadyAsync(TimeSpan.FromSeconds(60));

        var cursorKey = RandomNumberGenerator.GetHexString(48, lowercase: true);
        Admins = [.. Enumerable.Range(1, 2).Select(i => Prism($"admin-{i}", "admin", postgres.Url(database), extra: new() { ["PRISM_ADMIN_CURSOR_KEY"] = cursorKey }))];
        Proxies = [.. Enumerable.Range(1, 3).Select(i => Prism($"proxy-{i}", "proxy", postgres.Url(database), extra: new() { ["PRISM_PROXY_ID"] = $"proxy-{i}" }))];
        foreach (var process in Admins.Concat(Proxies))
        {
            _owned.Add(process);
            process.Start();
        }

        foreach (var process in Admins.Concat(Proxies))
        {
            await process.WaitReadyAsync(TimeSpan.FromSeconds(90));
        }

        Balancer = await HaProxy.StartAsync(Folder.Path, Certificates.ServerCertificateFile, Certificates.ServerKeyFile, Certificates.CaFile,
            Proxies.Select(p => p.Port), Admins.Select(a => a.Port), FreePort.Next(), FreePort.Next());
        _owned.Add(Balancer);
        say($"identity {Issuer}, 2 admins, 3 proxies (production posture, TLS) behind HAProxy: proxy {ProxyEndpoint}, admin {AdminEndpoint}");
    }

    private PrismProcess Prism(string name, string module, string databaseUrl, Dictionary<string, string?> extra)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>(Common(name))
        {
            ["PRISM_ENV"] = "production",
            ["PRISM_DATABASE_URL"] = databaseUrl,
            ["PRISM_OIDC_ISSUER"] = Issuer.ToString().TrimEnd('/'),
            ["PRISM_OIDC_AUDIENCE"] = ClientId,
            ["PRISM_REDIS_URL"] = Engines.RedisUrl,
            ["PRISM_NATS_URL"] = Engines.NatsUrl,
            ["PRISM_NATS_REPLICAS"] = SoakEngines.NatsReplicas.ToString(CultureInfo.InvariantCulture),
            [module == "admin" ? "PRISM_ADMIN_PORT" : "PRISM_PROXY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            // One load client is one actor: lift the per-actor admin limit above the soak's admin call rate.
            ["PRISM_ADMIN_RATE_LIMIT"] = "100000",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return new PrismProcess(name, module, port, environment, Folder.Path, Http);
    }

    private Dictionary<string, string?> IdentityEnvironment(int port)
    {
        var home = Path.Combine(Folder.Path, "identity");
        Directory.CreateDirectory(home);
        var config = Path.Combine(home, "dex.yaml");
        // Stands in for the organisation's identity provider: one machine client, no static passwords.
        File.WriteAllText(config, $"""
            issuer: https://127.0.0.1:{port}/dex
            storage:
              type: sqlite3
              config:
                file: identity.db
            staticClients:
              - id: {ClientId}
                name: Soak load
                secret: {ClientSecret}
            enablePasswordDB: false
            """);
        var environment = Common("identity");
        environment["PRISM_IDENTITY_CONFIG"] = config;
        environment["PRISM_IDENTITY_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        environment["PRISM_IDENTITY_CLIENT_GROUPS"] = $"{ClientId}=prism:admin";
        environment["PRISM_IDENTITY_TOKEN_RATE_LIMIT"] = "100000";
        return environment;
    }

    /// <summary>What every process gets: its own home, TLS on its listener, trust of the soak CA, its own metrics port.</summary>
    private Dictionary<string, string?> Common(string name) => new()
    {
        ["PRISM_HOME"] = Path.Combine(Folder.Path, name),
        ["PRISM_TLS_CERT_FILE"] = Certificates.ServerCertificateFile,
        ["PRISM_TLS_KEY_FILE"] = Certificates.ServerKeyFile,
        ["PRISM_TLS_CA_FILE"] = Certificates.CaFile,
        ["PRISM_METRICS_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        ["PRISM_LOG_LEVEL"] = "warn",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
    };

    /// <summary>Copies every process log (prism modules, HAProxy) to <paramref name="folder"/>.</summary>
    public void CopyLogs(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var log in Directory.EnumerateFiles(Folder.Path, "*.log"))
        {
            File.Copy(log, Path.Combine(folder, Path.GetFileName(log)), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Http.Dispose();
        Certificates.Dispose();
        Folder.Dispose();
    }
}
