using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Security.Authorization;
using Prism.Security.Tokens;
using Prism.Testing;

namespace Prism.Security.Tests;

/// <summary>PRISM_AUTH_DISABLED and the other insecure defaults of the security core.</summary>
public sealed class AuthDisabledTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public async Task AuthDisabled_AcceptsAnyToken_AsTheLocalDeveloper()
    {
        await using var services = SecurityHarness.BuildServices(
            new Dictionary<string, string?> { [SecuritySettings.AuthDisabled.Key] = "true", [SecuritySettings.Issuer.Key] = "" }, new FakeTimeProvider());
        var validator = services.GetRequiredService<ITokenValidator>();

        var principal = await validator.ValidateAsync("anything-at-all", CancellationToken.None).AsTask().WaitAsync(SecurityHarness.Timeout);

        Assert.IsType<AuthDisabledTokenValidator>(validator);
        Assert.Equal("dev@local.prism", principal.Email);
        Assert.Equal([Roles.Admin, Roles.Operator, Roles.Viewer], principal.Roles.Order());
        Assert.Equal(Roles.PermissionsOf[Roles.Admin].Order(), principal.Permissions.Order());
        Assert.Same(LocalDeveloper.Principal, principal);
    }

    [Fact]
    public void AuthDisabled_IsAnInsecureDefault_LoggedInDev()
    {
        var configuration = Configuration((SecuritySettings.AuthDisabled.Key, "true"));
        var active = SecurityPosture.InsecureDefaults(configuration);
        var logs = new CapturedLogs();

        DeploymentPosture.Enforce(configuration, logs.CreateLogger("admin"), active);

        var item = Assert.Single(active);
        Assert.Equal(("auth", "PRISM_AUTH_DISABLED"), (item.Dependency, item.Setting));
        var line = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("auth", line.Fields["dependency"]);
    }

    [Fact]
    public void AuthDisabled_IsRefusedInProduction()
    {
        var configuration = Configuration((SecuritySettings.AuthDisabled.Key, "true"), (CoreSettings.Environment.Key, "production"));
        var e = Assert.Throws<ProductionPostureException>(() =>
            DeploymentPosture.Enforce(configuration, new CapturedLogs().CreateLogger("admin"), SecurityPosture.InsecureDefaults(configuration)));
        Assert.Contains("PRISM_AUTH_DISABLED", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://idp.example.com/realms/prism", true)]
    [InlineData("http://10.0.0.5:5556/dex", true)]
    [InlineData("http://localhost:5556/dex", false)]
    [InlineData("http://127.0.0.1:5556/dex", false)]
    [InlineData("https://idp.example.com/realms/prism", false)]
    public void PlainHttpIssuerOffLoopback_IsAnInsecureDefault(string issuer, bool insecure)
    {
        var active = SecurityPosture.InsecureDefaults(Configuration((SecuritySettings.Issuer.Key, issuer)));
        Assert.Equal(insecure, active.Any(d => d.Setting == "PRISM_OIDC_ISSUER"));
    }

    [Fact]
    public void SecureConfiguration_HasNoInsecureDefault()
    {
        Assert.Empty(SecurityPosture.InsecureDefaults(Configuration((SecuritySettings.Issuer.Key, "https://login.example.com"))));
        Assert.False(SecurityPosture.IsAuthDisabled(Configuration()));
    }
}
