using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Prism.Testing.Oidc;

/// <summary>
/// A small, independent OIDC issuer for tests: a real Kestrel listener on a free loopback port serving
/// discovery and JWKS under <c>/realms/test</c> (Keycloak-like, unlike Prism's own <c>/dex</c>), signing
/// with its own RSA keys. Tests mint tokens directly, rotate keys, count fetches, and stop and restart it.
/// </summary>
public sealed partial class TestOidcIssuer : IAsyncDisposable
{
    /// <summary>Default audience of minted tokens.</summary>
    public const string DefaultAudience = "prismctl";

    private const string RealmPath = "/realms/test";
    private readonly object _keysLock = new();
    private readonly List<TestSigningKey> _published = [];
    private readonly List<TestSigningKey> _created = [];
    private readonly TimeProvider _time;
    private readonly int _port;
    private WebApplication? _app;
    private int _discoveryRequests;
    private int _jwksRequests;

    private TestOidcIssuer(int port, TimeProvider time)
    {
        _port = port;
        _time = time;
        Issuer = $"http://127.0.0.1:{port}{RealmPath}";
        _published.Add(NewKey());
    }

    /// <summary>The issuer URL (<c>iss</c> of minted tokens), e.g. <c>http://127.0.0.1:PORT/realms/test</c>.</summary>
    public string Issuer { get; }

    /// <summary>Discovery requests served so far.</summary>
    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>JWKS requests served so far.</summary>
    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>The key new tokens are signed with (the newest published one).</summary>
    public TestSigningKey CurrentKey
    {
        get
        {
            lock (_keysLock)
            {
                return _published[^1];
            }
        }
    }

    /// <summary>Keys published in JWKS, oldest first.</summary>
    public IReadOnlyList<TestSigningKey> PublishedKeys
    {
        get
        {
            lock (_keysLock)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>True while the listener runs.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>Starts an issuer on a free loopback port; <paramref name="time"/> dates minted tokens (default: system clock).</summary>
    public static async Task<TestOidcIssuer> StartAsync(TimeProvider? time = null)
    {
        var issuer = new TestOidcIssuer(FreePort.Next(), time ?? TimeProvider.System);
        await issuer.RestartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return issuer;
    }

    /// <summary>A user token (email, email_verified=true, groups) signed with <see cref="CurrentKey"/>.</summary>
    public string MintToken(string email, IEnumerable<string>? groups = null, string audience = DefaultAudience,
        TimeSpan? lifetime = null, IReadOnlyDictionary<string, object?>? claims = null) =>
        NewUserToken(email, groups, audience, lifetime, claims).Sign();

    /// <summary>A client_credentials token: no email, <c>client_id</c> and <c>sub</c> set to the client.</summary>
    public string MintServiceToken(string clientId, IEnumerable<string>? groups = null, string? audience = null,
        TimeSpan? lifetime = null, IReadOnlyDictionary<string, object?>? claims = null) =>
        NewServiceToken(clientId, groups, audience, lifetime, claims).Sign();

    /// <summary>An unsigned user token to change before <see cref="TestJwt.Sign"/>.</summary>
    public TestJwt NewUserToken(string email, IEnumerable<string>? groups = null, string audience = DefaultAudience,
        TimeSpan? lifetime = null, IReadOnlyDictionary<string, object?>? claims = null)
    {
        var jwt = NewToken(audience, lifetime)
            .With("sub", "user:" + email)
            .With("email", email)
            .With("email_verified", true)
            .With("client_id", audience);
        if (groups is not null)
        {
            jwt.With("groups", groups.ToArray());
        }

        return Apply(jwt, claims);
    }

    /// <summary>An unsigned service-account token to change before <see cref="TestJwt.Sign"/>.</summary>
    public TestJwt NewServiceToken(string clientId, IEnumerable<string>? groups = null, string? audience = null,
        TimeSpan? lifetime = null, IReadOnlyDictionary<string, object?>? claims = null)
    {
        var jwt = NewToken(audience ?? clientId, lifetime).With("sub", clientId).With("client_id", clientId);
        if (groups is not null)
        {
            jwt.With("groups", groups.ToArray());
        }

        return Apply(jwt, claims);
    }

    /// <summary>Publishes a new signing key that signs new tokens; the previous keys stay published unless <paramref name="keepPrevious"/> is false.</summary>
    public TestSigningKey RotateKeys(bool keepPrevious = true)
    {
        var key = NewKey();
        lock (_keysLock)
        {
            if (!keepPrevious)
            {
                _published.Clear();
            }

            _published.Add(key);
        }

        return key;
    }

    /// <summary>A key that is not published: tokens signed with it fail signature or key lookup.</summary>
    public TestSigningKey CreateUnpublishedKey() => NewKey();

    /// <summary>Stops the listener (the identity provider becomes unreachable); keys and counters are kept.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    /// <summary>Starts the listener again on the same port with the same keys.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        var app = builder.Build();
        app.MapGet(RealmPath + "/.well-known/openid-configuration", Discovery);
        app.MapGet(RealmPath + "/jwks", Jwks);
        app.MapPost(RealmPath + TokenPath, IssueTokenAsync);
        app.MapPost(RealmPath + IntrospectionPath, (Delegate)IntrospectAsync);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        _app = app;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        lock (_keysLock)
        {
            _created.ForEach(k => k.Dispose());
        }
    }

    private TestSigningKey NewKey()
    {
        var key = new TestSigningKey();
        lock (_keysLock)
        {
            _created.Add(key);
        }

        return key;
    }

    private TestJwt NewToken(string audience, TimeSpan? lifetime)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return new TestJwt(CurrentKey)
            .With("iss", Issuer)
            .With("aud", audience)
            .With("iat", now)
            .With("nbf", now)
            .With("exp", now + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds)
            .With("scope", "openid email groups");
    }

    private static TestJwt Apply(TestJwt jwt, IReadOnlyDictionary<string, object?>? claims)
    {
        foreach (var (name, value) in claims ?? new Dictionary<string, object?>())
        {
            jwt.With(name, value);
        }

        return jwt;
    }

    private IResult Discovery()
    {
        Interlocked.Increment(ref _discoveryRequests);
        return Results.Content(new JsonObject
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = Issuer + "/jwks",
            ["authorization_endpoint"] = Issuer + "/protocol/openid-connect/auth",
            ["token_endpoint"] = Issuer + TokenPath,
            ["introspection_endpoint"] = Issuer + IntrospectionPath,
            ["grant_types_supported"] = new JsonArray("client_credentials"),
            ["response_types_supported"] = new JsonArray("code"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }.ToJsonString(), "application/json");
    }

    private IResult Jwks()
    {
        Interlocked.Increment(ref _jwksRequests);
        var keys = new JsonArray([.. PublishedKeys.Select(k => (JsonNode)k.ToJwk())]);
        return Results.Content(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json");
    }
}
