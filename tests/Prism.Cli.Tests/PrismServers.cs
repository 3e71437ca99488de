using System.Globalization;
using Prism.Admin;
using Prism.Identity;
using Prism.Proxy;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>
/// The real identity provider and admin control plane, started once for every CLI test on free
/// loopback ports with their own temporary PRISM_HOME.
/// </summary>
public sealed class PrismServers : IAsyncLifetime
{
    private readonly TempDirectory _home = new("prism-cli-servers");
    private ModuleApp? _identity;
    private ModuleApp? _admin;
    private ModuleApp? _proxy;

    /// <summary>Issuer of the embedded identity provider.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>Admin gRPC endpoint.</summary>
    public string AdminEndpoint => _admin!.BaseAddress.ToString().TrimEnd('/');

    /// <summary>Data proxy gRPC endpoint (same control store as the admin).</summary>
    public string ProxyEndpoint => _proxy!.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        var identityPort = FreePort.Next();
        Issuer = $"http://127.0.0.1:{identityPort}/dex";
        _identity = await ModuleApp.StartAsync(new IdentityModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["identity:port"] = identityPort.ToString(CultureInfo.InvariantCulture),
            ["identity:issuer"] = Issuer,
        });
        _admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["admin:rate_limit_per_minute"] = "100000",
            ["security:oidc_issuer"] = Issuer,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            // Long enough for a first connection to a fresh server on a loaded 2-core machine.
            ["backends:health_timeout"] = "3s",
        });
        _proxy = await ModuleApp.StartAsync(new ProxyModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["security:oidc_issuer"] = Issuer,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["proxy:namespace_refresh_interval"] = "200ms",
        });
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }

        _home.Dispose();
    }
}

/// <summary>All CLI tests share one pair of servers (and run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class PrismServersCollection : ICollectionFixture<PrismServers>
{
    public const string Name = "prism servers";
}
