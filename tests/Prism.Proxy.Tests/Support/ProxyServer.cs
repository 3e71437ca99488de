using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Prism.ControlStore;
using Prism.Interfaces.KeyValue;
using Prism.Interfaces.PubSub;
using Prism.Interfaces.Queue;
using Prism.Testing;
using Prism.Testing.Oidc;

namespace Prism.Proxy.Tests.Support;

/// <summary>
/// A real proxy module on a loopback port, trusting an independent OIDC issuer, with its store in a
/// temporary PRISM_HOME (SQLite) or in the PostgreSQL named by <c>databaseUrl</c>. Short poll and
/// flush intervals keep the control tests quick.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly TempDirectory? _home;
    private readonly bool _ownsIssuer;

    private ProxyServer(TempDirectory? home, string homePath, TestOidcIssuer issuer, bool ownsIssuer, ModuleApp app)
    {
        _home = home;
        Home = homePath;
        Issuer = issuer;
        _ownsIssuer = ownsIssuer;
        App = app;
        Channel = GrpcChannel.ForAddress(app.BaseAddress, new GrpcChannelOptions { MaxReceiveMessageSize = 32 * 1024 * 1024 });
        KeyValue = new KeyValueBasicInterface.KeyValueBasicInterfaceClient(Channel);
        Ttl = new KeyValueTTLInterface.KeyValueTTLInterfaceClient(Channel);
        Batch = new KeyValueBatchInterface.KeyValueBatchInterfaceClient(Channel);
        PubSub = new PubSubBasicInterface.PubSubBasicInterfaceClient(Channel);
        Queue = new QueueBasicInterface.QueueBasicInterfaceClient(Channel);
    }

    public TestOidcIssuer Issuer { get; }

    public ModuleApp App { get; }

    public string Home { get; }

    public GrpcChannel Channel { get; }

    public KeyValueBasicInterface.KeyValueBasicInterfaceClient KeyValue { get; }

    public KeyValueTTLInterface.KeyValueTTLInterfaceClient Ttl { get; }

    public KeyValueBatchInterface.KeyValueBatchInterfaceClient Batch { get; }

    public PubSubBasicInterface.PubSubBasicInterfaceClient PubSub { get; }

    public QueueBasicInterface.QueueBasicInterfaceClient Queue { get; }

    /// <summary>The control store the proxy reads (the same one an admin module with the same home or database uses).</summary>
    public IControlStore Store => App.Services.GetRequiredService<IControlStore>();

    /// <summary>
    /// Starts a proxy. Pass <paramref name="issuer"/> and <paramref name="home"/> to share them with
    /// another module (they are then not disposed with this server).
    /// </summary>
    public static async Task<ProxyServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? databaseUrl = null,
        TestOidcIssuer? issuer = null, string? home = null)
    {
        var ownHome = home is null ? new TempDirectory("prism-proxy") : null;
        var ownsIssuer = issuer is null;
        issuer ??= await TestOidcIssuer.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["home"] = home ?? ownHome!.Path,
            ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["security:oidc_issuer"] = issuer.Issuer,
            ["admin:database_url"] = databaseUrl,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["backends:health_timeout"] = "500ms",
            ["proxy:control_poll_interval"] = "100ms",
            ["proxy:session_flush_interval"] = "200ms",
            ["proxy:namespace_refresh_interval"] = "200ms",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        try
        {
            var app = await ModuleApp.StartAsync(new ProxyModule(), all);
            return new ProxyServer(ownHome, home ?? ownHome!.Path, issuer, ownsIssuer, app);
        }
        catch
        {
            if (ownsIssuer)
            {
                await issuer.DisposeAsync();
            }

            ownHome?.Dispose();
            throw;
        }
    }

    /// <summary>A user token of <paramref name="email"/> in <paramref name="groups"/>.</summary>
    public string TokenFor(string email = "dev@example.com", params string[] groups) => Issuer.MintToken(email, groups);

    /// <summary>Call options with a token (none when null), a namespace (none when null) and a deadline.</summary>
    public static CallOptions Call(string? token, string? @namespace, CancellationToken cancellation = default)
    {
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        if (@namespace is not null)
        {
            headers.Add("x-prism-namespace", @namespace);
        }

        return new CallOptions(headers, DateTime.UtcNow.Add(Timeouts.Await), cancellation);
    }

    /// <summary>Creates a namespace in the store and returns its name.</summary>
    public async Task<string> CreateNamespaceAsync(IReadOnlyDictionary<string, string>? backends = null,
        IReadOnlyList<string>? accessGroups = null, IReadOnlyList<string>? patterns = null, long maxValueBytes = 0, int maxRequestsPerSecond = 0)
    {
        var name = TestNamespaces.NewName();
        await Store.CreateAsync(TestNamespaces.Record(name, backends, accessGroups, patterns, maxValueBytes, maxRequestsPerSecond));
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.DisposeAsync();
        if (_ownsIssuer)
        {
            await Issuer.DisposeAsync();
        }

        _home?.Dispose();
    }
}
