using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Hosting.Tests;

public class DeploymentPostureTests
{
    private static readonly InsecureDefault StaticPasswords =
        new("identity", "staticPasswords", "production uses a real identity provider");

    private static readonly InsecureDefault AuthDisabled =
        new("admin", "PRISM_AUTH_DISABLED", "production validates every token");

    [Fact]
    public void Development_LogsOneWarningPerActiveDefault_WithEnvDependencyAndDelta()
    {
        using var logs = new CapturedLogs();
        var logger = logs.CreateLogger("test");

        DeploymentPosture.Enforce(Configuration("dev"), logger, [StaticPasswords, AuthDisabled]);

        var warnings = logs.Entries.Where(e => e.Message == DeploymentPosture.WarningMessage).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Equal("dev", warnings[0].Fields["env"]);
        Assert.Equal("identity", warnings[0].Fields["dependency"]);
        Assert.Equal("production uses a real identity provider", warnings[0].Fields["prod_delta"]);
        Assert.Equal("admin", warnings[1].Fields["dependency"]);
    }

    [Theory]
    [InlineData("production")]
    [InlineData("PRODUCTION")]
    [InlineData("prod")]
    public void Production_RefusesToStart_WithOneMessagePerOffendingSetting(string environment)
    {
        using var logs = new CapturedLogs();

        var refusal = Assert.Throws<ProductionPostureException>(() =>
            DeploymentPosture.Enforce(Configuration(environment), logs.CreateLogger("test"), [StaticPasswords, AuthDisabled]));

        var lines = refusal.Message.Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.Contains("staticPasswords", lines[0]);
        Assert.Contains("PRISM_AUTH_DISABLED", lines[1]);
        Assert.Empty(logs.Entries);
    }

    [Theory]
    [InlineData("prodution")]
    [InlineData("development")]
    public void UnknownEnvironment_IsRefused_NamingTheVariableAndTheAcceptedValues_EvenWithoutFixtures(string environment)
    {
        using var logs = new CapturedLogs();

        var error = Assert.Throws<ConfigurationException>(() => DeploymentPosture.Enforce(Configuration(environment), logs.CreateLogger("test"), []));

        Assert.Equal($"'env' (PRISM_ENV) must be one of dev, production, prod; got '{environment}'.", error.Message);
        Assert.Empty(logs.Entries);
    }

    [Fact]
    public void Production_WithNoDevelopmentFixture_Starts()
    {
        using var logs = new CapturedLogs();

        DeploymentPosture.Enforce(Configuration("production"), logs.CreateLogger("test"), []);

        Assert.Empty(logs.Entries);
    }

    private static IConfiguration Configuration(string environment) =>
        new ConfigurationBuilder().AddInMemoryCollection([new("env", environment)]).Build();
}
