using System.Text;
using Prism.Cli.Auth;
using Prism.Cli.Commands;
using Prism.Cli.Config;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>In-process tests of the small pieces: durations, the token cache file, claims and settings precedence.</summary>
public sealed class UnitTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("30s", 30)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    public void Durations_Parse(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--x"));

    [Fact]
    public void BrokenConfigFile_IsAConfigurationError_NamingTheFileAndLine()
    {
        using var home = new TempDirectory();
        var file = Path.Combine(home.Path, "config.yaml");
        File.WriteAllText(file, "admin:\n  endpoint: http://localhost:8981\n   proxy: [bad\n");

        var error = Assert.Throws<CliException>(() => CliConfigFile.Load(file));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith($"cannot read {file}: line 3: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void PointInTime_TakesRfc3339_OrADurationAgo()
    {
        var now = new DateTimeOffset(2025, 10, 9, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddMinutes(-15), Durations.PointInTime("15m", now, "--since"));
        Assert.Equal(new DateTimeOffset(2025, 10, 9, 11, 0, 0, TimeSpan.Zero), Durations.PointInTime("2025-10-09T11:00:00Z", now, "--since"));
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => Durations.PointInTime("later", now, "--since")).ExitCode);
    }

    [Fact]
    public void TokenCache_RoundTrips_OwnerOnly_WithoutLeavingTempFiles()
    {
        using var home = new TempDirectory("prismctl-unit");
        var cache = new TokenCache(Path.Combine(home.Path, "nested", "token"));
        var token = new CachedToken { AccessToken = "a", RefreshToken = "r", IdToken = "i", ExpiresAt = new DateTimeOffset(2025, 10, 9, 11, 0, 0, TimeSpan.Zero) };

        cache.Save(token);
        cache.Save(token with { AccessToken = "b" });

        Assert.Equal(token with { AccessToken = "b" }, cache.Load());
        Assert.Contains("\"expires_at\": \"2025-10-09T11:00:00Z\"", File.ReadAllText(cache.Path), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(cache.Path)!));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.Path));
        }

        Assert.True(cache.Delete());
        Assert.Null(cache.Load());
    }

    [Fact]
    public void TokenClaims_DeriveRolesAndPermissions_FromTheDefaultGroups()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"email":"op@example.com","groups":["prism:operator","other"],"exp":1760007600}"""))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var claims = TokenClaims.Read($"h.{payload}.s");

        Assert.Equal("op@example.com", claims.Identity);
        Assert.Equal(["operator"], claims.Roles);
        Assert.Equal(["admin:read", "admin:operational"], claims.Permissions);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1760007600), claims.ExpiresAt);
        Assert.Equal("unknown", TokenClaims.Read("opaque").Identity);
    }

    [Fact]
    public void Settings_FlagsBeatEnvironment_WhichBeatsTheConfigFile()
    {
        using var home = new TempDirectory("prismctl-unit");
        File.WriteAllText(Path.Combine(home.Path, "config.yaml"), """
            admin: {endpoint: "http://file:1"}
            auth: {oidc: {issuer: "http://file-issuer/dex/", client_id: file-client, auto_login: true}}
            unrelated: {key: value}
            """);
        var environment = new Dictionary<string, string?> { ["PRISM_HOME"] = home.Path };
        string? Env(string name) => environment.GetValueOrDefault(name);

        var fromFile = CliSettings.Resolve(new SettingFlags(), Env);
        Assert.Equal(new Uri("http://file:1"), fromFile.AdminEndpoint);
        Assert.Equal("http://file-issuer/dex", fromFile.Issuer);
        Assert.Equal("file-client", fromFile.ClientId);
        Assert.True(fromFile.AutoLogin);

        environment["PRISM_ADMIN_ENDPOINT"] = "http://env:2";
        environment["PRISM_LOCAL_DEV"] = "false";
        var fromEnv = CliSettings.Resolve(new SettingFlags(), Env);
        Assert.Equal(new Uri("http://env:2"), fromEnv.AdminEndpoint);
        Assert.False(fromEnv.AutoLogin);

        var fromFlag = CliSettings.Resolve(new SettingFlags(AdminEndpoint: "flag:3"), Env);
        Assert.Equal(new Uri("http://flag:3"), fromFlag.AdminEndpoint);
        Assert.Equal(Path.Combine(home.Path, "token"), fromFlag.TokenPath);
    }
}
