using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Identity.Tests;

/// <summary>The identity module running on a free loopback port with a temporary PRISM_HOME, plus an OIDC client for it.</summary>
internal sealed class IdentityServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IdentityServer(ModuleApp app, string home, string issuer)
    {
        App = app;
        Home = home;
        Issuer = issuer;
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout };
    }

    public ModuleApp App { get; }

    public string Home { get; }

    public string Issuer { get; }

    public HttpClient Http { get; }

    public int Port { get; private init; }

    public string TokenEndpoint => Issuer + "/token";

    /// <summary>Starts the module; <paramref name="home"/> reuses a PRISM_HOME (restart), <paramref name="settings"/> adds configuration keys.</summary>
    public static async Task<IdentityServer> StartAsync(
        string home, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, int? port = null)
    {
        port ??= FreePort.Next();
        var issuer = $"http://127.0.0.1:{port}/dex";
        var all = new Dictionary<string, string?>
        {
            [CoreSettings.Home.Key] = home,
            [IdentitySettings.Port.Key] = port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [IdentitySettings.Issuer.Key] = issuer,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var module = services is null ? new IdentityModule() : new IdentityModule(services);
        var app = await ModuleApp.StartAsync(module, all).WaitAsync(Timeout);
        return new IdentityServer(app, home, issuer) { Port = port.Value };
    }

    public async Task<DiscoveryDocumentResponse> DiscoverAsync()
    {
        var discovery = await Http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = Issuer,
            Policy = { RequireHttps = false },
        }).WaitAsync(Timeout);
        Assert.False(discovery.IsError, discovery.Error);
        return discovery;
    }

    public Task<TokenResponse> PasswordTokenAsync(string user = "dev@local.prism", string password = "devpass", string scope = "openid profile email groups offline_access",
        HttpClient? http = null) =>
        (http ?? Http).RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = TokenEndpoint,
            ClientId = "prismctl",
            UserName = user,
            Password = password,
            Scope = scope,
        }).WaitAsync(Timeout);

    /// <summary>Validates <paramref name="token"/> against the JWKS currently served.</summary>
    public async Task<TokenValidationResult> ValidateAsync(string token, string audience = "prismctl", bool validateLifetime = true)
    {
        var jwks = new JsonWebKeySet(await Http.GetStringAsync(new Uri(Issuer + "/keys")).WaitAsync(Timeout));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = validateLifetime,
            ValidTypes = ["at+jwt", "JWT"],
            ClockSkew = TimeSpan.FromMinutes(1),
        }).WaitAsync(Timeout);
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x address is loopback on Linux).</summary>
    public static HttpClient ClientFrom(string localAddress) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellation) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { Timeout = Timeout };

    /// <summary>Posts a form without following redirects.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        Http.PostAsync(new Uri(Issuer + path), new FormUrlEncodedContent(fields)).WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
    }
}
