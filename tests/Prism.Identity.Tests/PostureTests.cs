using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class PostureTests
{
    [Fact]
    public async Task DevMode_LogsTheInsecureDefaults_OfTheBuiltInConfiguration()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);

        var warnings = server.App.Logs.Entries.Where(e => e.Message == DeploymentPosture.WarningMessage).ToList();

        Assert.All(warnings, w => Assert.Equal("identity", w.Fields["dependency"]));
        Assert.Contains(warnings, w => w.Fields["prod_delta"]!.Contains("static passwords", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Fields["prod_delta"]!.Contains("managed key", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Fields["prod_delta"]!.Contains("built-in development file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProductionMode_RefusesToStart_WithTheBuiltInConfiguration()
    {
        using var home = new TempDirectory();
        var settings = new Dictionary<string, string?>
        {
            [CoreSettings.Home.Key] = home.Path,
            [CoreSettings.Environment.Key] = "production",
            ["identity:port"] = "0",
        };

        var refusal = await Assert.ThrowsAsync<ProductionPostureException>(() => ModuleApp.StartAsync(new IdentityModule(), settings)).WaitAsync(IdentityServer.Timeout);

        Assert.Contains(refusal.Offending, o => o.Setting == "staticPasswords / enablePasswordDB");
        Assert.Contains("PRISM_IDENTITY_CONFIG", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpIssuer_IsReported_OnlyForANonLoopbackHost()
    {
        using var home = new TempDirectory();
        await using var loopback = await IdentityServer.StartAsync(home.Path);
        await using var remote = await IdentityServer.StartAsync(home.Path,
            new Dictionary<string, string?> { ["identity:issuer"] = "http://identity.prism.internal/dex" });
        var module = new IdentityModule();

        Assert.DoesNotContain(module.InsecureDefaults(loopback.App.Services), d => d.Setting.Contains("PRISM_IDENTITY_ISSUER", StringComparison.Ordinal));
        Assert.Contains(module.InsecureDefaults(remote.App.Services), d => d.Setting.Contains("PRISM_IDENTITY_ISSUER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_NeverContainPasswordsOrTokens()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var tokens = await server.PasswordTokenAsync();
        await server.PasswordTokenAsync(password: "hunter2-wrong");

        var text = string.Join('\n', server.App.Logs.Entries.Select(e => e.Message + " " + string.Join(' ', e.Fields.Values)));

        Assert.Contains("dev@local.prism", text, StringComparison.Ordinal);
        Assert.DoesNotContain("devpass", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-wrong", text, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.AccessToken!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.RefreshToken!, text, StringComparison.Ordinal);
    }
}
