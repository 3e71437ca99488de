using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin.V1;
using Prism.Testing;
using Prism.Testing.Oidc;

namespace Prism.Admin.Tests;

/// <summary>
/// A real admin module on a loopback port, trusting an independent OIDC issuer, with its
/// store in a temporary PRISM_HOME (SQLite) or in the PostgreSQL named by <c>databaseUrl</c>.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly TempDirectory _home;

    private AdminServer(TempDirectory home, TestOidcIssuer issuer, ModuleApp app)
    {
        _home = home;
        Issuer = issuer;
        App = app;
        Channel = GrpcChannel.ForAddress(app.BaseAddress);
        Client = new AdminService.AdminServiceClient(Channel);
    }

    public TestOidcIssuer Issuer { get; }

    public ModuleApp App { get; }

    public GrpcChannel Channel { get; }

    public AdminService.AdminServiceClient Client { get; }

    public string Home => _home.Path;

    public static async Task<AdminServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? databaseUrl = null)
    {
        var home = new TempDirectory("prism-admin");
        var issuer = await TestOidcIssuer.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["home"] = home.Path,
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["security:oidc_issuer"] = issuer.Issuer,
            ["admin:database_url"] = databaseUrl,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["backends:health_timeout"] = "500ms",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        try
        {
            return new AdminServer(home, issuer, await ModuleApp.StartAsync(new AdminModule(), all));
        }
        catch
        {
            await issuer.DisposeAsync();
            home.Dispose();
            throw;
        }
    }

    /// <summary>A token for <paramref name="role"/>: admin, operator, viewer, or anything else for a user with no Prism group.</summary>
    public string TokenFor(string role, string? email = null) =>
        Issuer.MintToken(email ?? $"{role}@example.com", [role is "admin" or "operator" or "viewer" ? "prism:" + role : "some-other-team"]);

    /// <summary>Call metadata carrying <paramref name="token"/> (none when null) and an optional request id.</summary>
    public static Metadata Bearer(string? token, string? requestId = null)
    {
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        if (requestId is not null)
        {
            headers.Add("request-id", requestId);
        }

        return headers;
    }

    public static CallOptions Options(string? token, string? requestId = null) =>
        new(Bearer(token, requestId), DateTime.UtcNow.AddSeconds(30));

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.DisposeAsync();
        await Issuer.DisposeAsync();
        _home.Dispose();
    }
}
