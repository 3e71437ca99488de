using Duende.IdentityModel.Client;
using Prism.Hosting.Settings;
using Prism.Identity.Configuration;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class DexConfigTests
{
    private static readonly string AliceHash = BCrypt.Net.BCrypt.HashPassword("alicepass", 4);

    [Fact]
    public async Task DexLayoutFile_Loads_WithItsIssuerPortStorageClientsAndUsers()
    {
        using var home = new TempDirectory();
        var port = FreePort.Next();
        var database = Path.Combine(home.Path, "var", "dex.db");
        var file = Path.Combine(home.Path, "config.yaml");
        await File.WriteAllTextAsync(file, $$"""
            issuer: http://127.0.0.1:{{port}}/dex
            storage:
              type: sqlite3
              config:
                file: {{database}}
            web:
              http: 127.0.0.1:{{port}}
            telemetry:
              http: 0.0.0.0:5558
            grpc:
              addr: 0.0.0.0:5557
            logger:
              level: debug
            frontend:
              issuer: Example
            expiry:
              idTokens: 10m
              refreshTokens:
                absoluteLifetime: 24h
            oauth2:
              skipApprovalScreen: true
              responseTypes: ["code", "token", "id_token"]
            connectors:
              - type: mockCallback
                id: mock
                name: Example
            staticClients:
              - id: example-app
                name: Example App
                secret: ZXhhbXBsZS1hcHAtc2VjcmV0
                redirectURIs:
                  - http://127.0.0.1:5555/callback
              - id: cli
                name: CLI
                public: true
            enablePasswordDB: true
            staticPasswords:
              - email: "alice@example.com"
                hash: "{{AliceHash}}"
                username: "alice"
                userID: "08a8684b-db88-4b73-90a9-3cd1661f5466"
            """);
        var settings = new Dictionary<string, string?> { [CoreSettings.Home.Key] = home.Path, ["identity:config"] = file };

        await using var app = await ModuleApp.StartAsync(new IdentityModule(), settings).WaitAsync(IdentityServer.Timeout);
        using var http = new HttpClient();
        var tokens = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = $"http://127.0.0.1:{port}/dex/token",
            ClientId = "cli",
            UserName = "alice@example.com",
            Password = "alicepass",
            Scope = "openid email",
        }).WaitAsync(IdentityServer.Timeout);

        Assert.Equal(port, app.BaseAddress.Port);
        Assert.False(tokens.IsError, tokens.ErrorDescription);
        Assert.InRange(tokens.ExpiresIn, 500, 600);
        Assert.True(File.Exists(database));
        var builtInUser = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = $"http://127.0.0.1:{port}/dex/token",
            ClientId = "cli",
            UserName = "dev@local.prism",
            Password = "devpass",
        }).WaitAsync(IdentityServer.Timeout);
        Assert.Equal("invalid_grant", builtInUser.Error);
    }

    [Fact]
    public void BuiltInConfig_HasTheDevelopmentUsersAndClients_WithARealBcryptHashOfDevpass()
    {
        var config = DexConfigReader.ReadBuiltIn();

        Assert.Equal(new Uri("http://localhost:5556/dex"), config.Issuer);
        Assert.Equal(5556, config.HttpPort);
        Assert.True(config.SkipApprovalScreen);
        Assert.Equal(["prismctl", "prism-admin-ui", "prism-console", "prism-automation"], config.Clients.Select(c => c.Id));
        Assert.True(config.Clients[0].Public);
        var console = config.Clients.Single(c => c.Id == "prism-console");
        Assert.False(console.Public);
        // https for `prism dev up --tls`, whose console serves https://localhost:8090.
        Assert.Equal(["http://localhost:8090/signin-oidc", "https://localhost:8090/signin-oidc"], console.RedirectUris);
        var dev = config.Users.Single(u => u.Email == "dev@local.prism");
        Assert.Equal(["prism:admin", "prism:operator", "prism:viewer"], dev.Groups);
        Assert.True(BCrypt.Net.BCrypt.Verify("devpass", dev.Hash));
        Assert.True(BCrypt.Net.BCrypt.Verify("devpass", config.Users.Single(u => u.Email == "test@local.prism").Hash));
    }

    [Theory]
    [InlineData("hash: \"not-a-hash\"", "line 11: staticPasswords[0].hash is not a bcrypt hash")]
    [InlineData("issuer: http://localhost:5556/dex", "line 2: issuer is required")]
    [InlineData("type: memory", "line 3: storage.type 'postgres' is not supported (use sqlite3 or memory)")]
    [InlineData("  - id: cli", "line 6: YAML syntax error")]
    [InlineData("idTokens: 1h", "line 15: expiry.idTokens is not a duration")]
    public void BadFile_IsRejected_WithTheKeyAndLine(string line, string expected)
    {
        var replacement = line switch
        {
            "hash: \"not-a-hash\"" => null,
            "issuer: http://localhost:5556/dex" => "",
            "type: memory" => "type: postgres",
            "  - id: cli" => "  - id: cli\n  x: [",
            _ => "idTokens: forever",
        };
        var text = replacement is null
            ? ValidFile.Replace("hash: \"$HASH\"", line, StringComparison.Ordinal)
            : ValidFile.Replace(line, replacement, StringComparison.Ordinal);
        text = text.Replace("$HASH", AliceHash, StringComparison.Ordinal);

        var error = Assert.Throws<DexConfigException>(() => DexConfigReader.Parse(text, "/x/config.yaml"));

        Assert.StartsWith("identity config /x/config.yaml " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFile_StopsStartUp_WithThePathAndLine()
    {
        using var home = new TempDirectory();
        var file = Path.Combine(home.Path, "config.yaml");
        await File.WriteAllTextAsync(file, ValidFile.Replace("$HASH", "$2a$10$short", StringComparison.Ordinal));
        var settings = new Dictionary<string, string?> { [CoreSettings.Home.Key] = home.Path, ["identity:config"] = file, ["identity:port"] = "0" };

        var error = await Assert.ThrowsAsync<DexConfigException>(() => ModuleApp.StartAsync(new IdentityModule(), settings)).WaitAsync(IdentityServer.Timeout);

        Assert.Equal($"identity config {file} line 11: staticPasswords[0].hash is not a bcrypt hash", error.Message);
    }

    [Fact]
    public async Task BadSetting_StopsStartUp_NamingTheKeyAndEnvironmentVariable()
    {
        using var home = new TempDirectory();
        var settings = new Dictionary<string, string?> { [CoreSettings.Home.Key] = home.Path, ["identity:port"] = "0", ["identity:signingKeyRotation"] = "soon" };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ModuleApp.StartAsync(new IdentityModule(), settings)).WaitAsync(IdentityServer.Timeout);

        Assert.Contains("'identity:signingKeyRotation' (PRISM_IDENTITY_SIGNING_KEY_ROTATION)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemoryStorage_IsAccepted()
    {
        var config = DexConfigReader.Parse(ValidFile.Replace("$HASH", AliceHash, StringComparison.Ordinal), "test");

        Assert.True(config.Storage.InMemory);
        Assert.Equal(TimeSpan.FromHours(1), config.Expiry.Tokens);
    }

    private const string ValidFile = """
        issuer: http://localhost:5556/dex
        storage:
          type: memory
        staticClients:
          - id: cli
            public: true
        enablePasswordDB: true
        staticPasswords:
          - email: alice@example.com
            userID: "1"
            hash: "$HASH"
            username: alice
        expiry:
          deviceRequests: 5m
          idTokens: 1h
        """;
}
