using System.Globalization;
using Duende.IdentityModel.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin;
using Prism.Admin.V1;
using Prism.Identity;
using Prism.Testing;

namespace Prism.Proxy.Tests.Support;

/// <summary>
/// Prism's identity provider, an admin module and a proxy sharing one control store, the two trusting the
/// provider: the stack a revocation must reach. The provider can be restarted on its port with another config.
/// </summary>
public sealed class RevocationStack : IAsyncDisposable
{
    private readonly TempDirectory _identityHome;
    private readonly TempDirectory _home;
    private readonly int _identityPort;
    private GrpcChannel? _adminChannel;

    private RevocationStack(TempDirectory identityHome, TempDirectory home, int identityPort)
    {
        _identityHome = identityHome;
        _home = home;
        _identityPort = identityPort;
        Issuer = $"http://127.0.0.1:{identityPort}/dex";
    }

    public string Issuer { get; }

    public ModuleApp? Identity { get; private set; }

    public ModuleApp Admin { get; private set; } = null!;

    public AdminService.AdminServiceClient AdminClient { get; private set; } = null!;

    public ProxyServer Proxy { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = Timeouts.Await };

    public static async Task<RevocationStack> StartAsync(IReadOnlyDictionary<string, string?>? securitySettings = null, string? identityConfig = null)
    {
        var stack = new RevocationStack(new TempDirectory("prism-idp"), new TempDirectory("prism-stack"), FreePort.Next());
        try
        {
            await stack.StartIdentityAsync(identityConfig);
            var security = new Dictionary<string, string?> { ["security:oidc_issuer"] = stack.Issuer };
            foreach (var (key, value) in securitySettings ?? new Dictionary<string, string?>())
            {
                security[key] = value;
            }

            stack.Proxy = await ProxyServer.StartAsync(security, home: stack._home.Path);
            var admin = new Dictionary<string, string?>(security)
            {
                ["home"] = stack._home.Path,
                ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["backends:health_timeout"] = "500ms",
            };
            stack.Admin = await ModuleApp.StartAsync(new AdminModule(), admin);
            stack._adminChannel = GrpcChannel.ForAddress(stack.Admin.BaseAddress);
            stack.AdminClient = new AdminService.AdminServiceClient(stack._adminChannel);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or restarts, on the same port and home) the identity provider with <paramref name="config"/> (a Dex file path; null: built-in).</summary>
    public async Task StartIdentityAsync(string? config = null)
    {
        if (Identity is not null)
        {
            await Identity.DisposeAsync();
            Identity = null;
        }

        Identity = await ModuleApp.StartAsync(new IdentityModule(), new Dictionary<string, string?>
        {
            ["home"] = _identityHome.Path,
            ["identity:port"] = _identityPort.ToString(CultureInfo.InvariantCulture),
            ["identity:issuer"] = Issuer,
            ["identity:config"] = config,
        });
    }

    /// <summary>Stops the identity provider.</summary>
    public async Task StopIdentityAsync()
    {
        if (Identity is not null)
        {
            await Identity.DisposeAsync();
            Identity = null;
        }
    }

    /// <summary>A Dex file in the identity home: the built-in one with <paramref name="find"/> replaced.</summary>
    public string IdentityConfigWith(string find, string replace)
    {
        var text = Prism.Identity.Configuration.DexConfigReader.BuiltInText();
        Assert.Contains(find, text, StringComparison.Ordinal);
        var path = Path.Combine(_identityHome.Path, "dex-" + Guid.NewGuid().ToString("N")[..6] + ".yaml");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
        return path;
    }

    /// <summary>Signs <paramref name="user"/> in with the password grant as prismctl does (with a refresh token).</summary>
    public async Task<TokenResponse> SignInAsync(string user)
    {
        var response = await TrySignInAsync(user);
        Assert.False(response.IsError, response.ErrorDescription ?? response.Error);
        return response;
    }

    /// <summary>The token response for <paramref name="user"/>, error or not.</summary>
    public async Task<TokenResponse> TrySignInAsync(string user)
    {
        return await Http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = Issuer + "/token",
            ClientId = "prismctl",
            UserName = user,
            Password = "devpass",
            Scope = "openid email profile groups offline_access",
        }).WaitAsync(Timeouts.Await);
    }

    /// <summary>Revokes <paramref name="token"/> at the provider's RFC 7009 endpoint, as prismctl logout does.</summary>
    public async Task RevokeAsync(string token, string hint)
    {
        var response = await Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = Issuer + "/token/revoke",
            ClientId = "prismctl",
            Token = token,
            TokenTypeHint = hint,
        }).WaitAsync(Timeouts.Await);
        Assert.False(response.IsError, response.Error);
    }

    /// <summary>An admin call (ListNamespaces) with <paramref name="token"/>.</summary>
    public async Task AdminCallAsync(string token)
    {
        var headers = new Metadata { { "authorization", "Bearer " + token } };
        await AdminClient.ListNamespacesAsync(new ListNamespacesRequest(), headers, DateTime.UtcNow.Add(Timeouts.Await));
    }

    /// <summary>Polls until admin and proxy both refuse <paramref name="token"/> (UNAUTHENTICATED; PERMISSION_DENIED when its session was terminated) or <paramref name="within"/> passes; returns the two refusals.</summary>
    public async Task<(RpcException Admin, RpcException Proxy)> RefusedWithinAsync(string token, string @namespace, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        RpcException? admin = null;
        RpcException? proxy = null;
        while (admin is null || proxy is null)
        {
            admin ??= await RefusalAsync(() => AdminCallAsync(token));
            proxy ??= await RefusalAsync(() => Proxy.KeyValue.GetAsync(new Interfaces.KeyValue.GetRequest { Key = "k" }, ProxyServer.Call(token, @namespace)).ResponseAsync);
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"within {within.TotalSeconds} s: admin {(admin is null ? "still accepts" : "refuses")} the token, proxy {(proxy is null ? "still accepts" : "refuses")} it");
            }

            await Task.Delay(50);
        }

        return (admin, proxy);
    }

    private static async Task<RpcException?> RefusalAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        _adminChannel?.Dispose();
        if (Admin is not null)
        {
            await Admin.DisposeAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await StopIdentityAsync();
        _home.Dispose();
        _identityHome.Dispose();
    }
}
