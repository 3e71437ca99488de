using Duende.IdentityModel.Client;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Abstractions;
using Prism.Identity.Storage;
using Prism.Testing;

namespace Prism.Identity.Tests;

/// <summary>What makes the token endpoint fast keeps it as strict and as durable as before.</summary>
public sealed class TokenEndpointSpeedTests
{
    private const string Secret = "prism-automation-dev-secret";

    [Fact]
    public async Task WrongSecret_RightAfterTheRightOne_IsStillRefused()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var remembered = server.App.Services.GetRequiredService<VerifiedClientSecrets>();

        Assert.False((await ClientCredentialsAsync(server, Secret)).IsError);
        Assert.False((await ClientCredentialsAsync(server, Secret)).IsError);
        var wrong = await ClientCredentialsAsync(server, Secret + "x");

        Assert.Equal("invalid_client", ErrorOf(wrong));
        Assert.Equal(1, remembered.Verifications); // the second right request used the remembered verification
    }

    [Fact]
    public async Task ChangedClientRegistration_ForgetsRememberedSecrets_AndTheOldSecretIsRefused()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        Assert.False((await ClientCredentialsAsync(server, Secret)).IsError);

        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync("prism-automation") ?? throw new InvalidOperationException("not registered");
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, application);
            descriptor.ClientSecret = "a-new-secret";
            await applications.UpdateAsync(application, descriptor);
        }

        Assert.Equal(0, server.App.Services.GetRequiredService<VerifiedClientSecrets>().Count);
        Assert.Equal("invalid_client", ErrorOf(await ClientCredentialsAsync(server, Secret)));
        Assert.False((await ClientCredentialsAsync(server, "a-new-secret")).IsError);
    }

    [Fact]
    public async Task SecretChangedInTheConfig_IsTheOnlyOneAcceptedAfterRestart()
    {
        using var home = new TempDirectory();
        var config = Path.Combine(home.Path, "dex.yaml");
        await File.WriteAllTextAsync(config, Config("first-secret"));
        var settings = new Dictionary<string, string?> { ["identity:config"] = config };
        await using (var server = await IdentityServer.StartAsync(home.Path, settings))
        {
            Assert.False((await ClientCredentialsAsync(server, "first-secret", "machine")).IsError);
        }

        await File.WriteAllTextAsync(config, Config("second-secret"));
        await using (var server = await IdentityServer.StartAsync(home.Path, settings))
        {
            Assert.Equal("invalid_client", ErrorOf(await ClientCredentialsAsync(server, "first-secret", "machine")));
            Assert.False((await ClientCredentialsAsync(server, "second-secret", "machine")).IsError);
        }
    }

    [Fact]
    public void RememberedSecret_IsBoundToTheStoredHash_AndExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var remembered = new VerifiedClientSecrets(time);

        remembered.Remember("stored-hash-1", "secret");

        Assert.True(remembered.IsVerified("stored-hash-1", "secret"));
        Assert.False(remembered.IsVerified("stored-hash-1", "secret2"));
        Assert.False(remembered.IsVerified("stored-hash-2", "secret")); // a re-registered client has a new salted hash
        time.Advance(VerifiedClientSecrets.Lifetime);
        Assert.False(remembered.IsVerified("stored-hash-1", "secret"));
        Assert.Equal(0, remembered.Count);
    }

    [Fact]
    public void RememberedSecrets_AreBounded()
    {
        var remembered = new VerifiedClientSecrets(TimeProvider.System);

        for (var i = 0; i <= VerifiedClientSecrets.Capacity; i++)
        {
            remembered.Remember($"hash-{i}", "secret");
        }

        Assert.True(remembered.Count <= VerifiedClientSecrets.Capacity);
    }

    [Fact]
    public async Task TheStoreRunsInWal_AndATokenIsSyncedBeforeItsResponse_ButADiscoveryReadIsNot()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var durability = server.App.Services.GetRequiredService<IdentityDurability>();
        Assert.False((await ClientCredentialsAsync(server, Secret)).IsError);
        var synced = durability.Syncs;

        await server.DiscoverAsync();
        Assert.Equal(synced, durability.Syncs);
        var tokens = await ClientCredentialsAsync(server, Secret);

        Assert.False(tokens.IsError);
        Assert.True(durability.Syncs > synced);
        var database = server.App.Services.GetRequiredService<IdentityDatabase>().Description;
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    // invalid_client comes with 401, which the client library reports as an HTTP error; the body carries the OAuth error.
    private static string? ErrorOf(TokenResponse tokens)
    {
        using var json = System.Text.Json.JsonDocument.Parse(tokens.Raw!);
        return json.RootElement.TryGetProperty("error", out var error) ? error.GetString() : null;
    }

    private static string Config(string secret) => $"""
        issuer: http://127.0.0.1/dex
        storage:
          type: sqlite3
          config:
            file: identity.db
        staticClients:
          - id: machine
            name: Machine
            secret: {secret}
        """;

    private static Task<TokenResponse> ClientCredentialsAsync(IdentityServer server, string secret, string client = "prism-automation") =>
        server.Http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = server.TokenEndpoint,
            ClientId = client,
            ClientSecret = secret,
        }).WaitAsync(IdentityServer.Timeout);
}
