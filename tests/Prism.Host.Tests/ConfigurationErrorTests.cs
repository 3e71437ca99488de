using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>
/// A configuration error ends <c>prism serve</c> and <c>prism dev</c> with one line on standard error (no stack
/// trace) naming the setting, the variable and what is accepted, and exit code 2.
/// </summary>
public class ConfigurationErrorTests
{
    private const int ConfigurationExitCode = 2;

    [Fact]
    public async Task Serve_WithATypoInPrismEnv_RefusesToStart_NamingTheVariableAndTheAcceptedValues()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_ENV"] = "prodution";

        var result = await prism.RunAsync("serve", "--modules", "proxy");

        AssertOneLine(result, "prism: 'env' (PRISM_ENV) must be one of dev, production, prod; got 'prodution'.");
    }

    [Fact]
    public async Task Serve_WithABareNumberForADuration_RefusesToStart_InOneLine()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_PROXY_CONTROL_POLL_INTERVAL"] = "500";

        var result = await prism.RunAsync("serve", "--modules", "proxy");

        AssertOneLine(result,
            "prism: 'proxy:control_poll_interval' (PRISM_PROXY_CONTROL_POLL_INTERVAL) must be a positive duration such as 500ms, 30s, 5m, 1h or 1h30m (units ms, s, m, h, d); got '500'.");
    }

    [Fact]
    public async Task ServeAllModules_WithABadValueForTheLastModule_StartsNone_AndPrintsOneErrorLine()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_CONSOLE_PUBLIC_URL"] = "localhost:8090";

        var result = await prism.RunAsync("serve");

        Assert.True(result.ExitCode == ConfigurationExitCode, result.ToString());
        var errors = Lines(result.StandardError).Where(l => l.StartsWith("prism:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["prism: 'console:public_url' (PRISM_CONSOLE_PUBLIC_URL) must be an absolute http or https URL; got 'localhost:8090'."], errors);
        Assert.DoesNotContain("listening on", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithAShortCursorKey_RefusesToStart_WithoutEchoingTheSecret()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_ADMIN_CURSOR_KEY"] = "short-but-secret";

        var result = await prism.RunAsync("serve", "--modules", "admin");

        AssertOneLine(result, "prism: 'admin:cursor_key' (PRISM_ADMIN_CURSOR_KEY) must be at least 32 characters; the value given is not shown (secret).");
    }

    [Fact]
    public async Task Serve_WithABrokenSettingsFile_RefusesToStart_NamingTheFileAndLine()
    {
        using var prism = new PrismCli();
        var file = Path.Combine(prism.Home, "config.yaml");
        await File.WriteAllTextAsync(file, "proxy:\n  port: 8980\n   id: [unclosed\n");
        prism.Environment["PRISM_CONFIG"] = file;

        var result = await prism.RunAsync("serve", "--modules", "proxy");

        var line = AssertOneLine(result);
        Assert.StartsWith($"prism: Settings file '{file}' line 3: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithABadIdentityConfigFile_RefusesToStart_NamingTheFileAndLine()
    {
        using var prism = new PrismCli();
        var file = Path.Combine(prism.Home, "dex.yaml");
        await File.WriteAllTextAsync(file, "issuer: http://127.0.0.1:5556/dex\nstorage:\n  type: memory\nexpiry:\n  idTokens: soon\n");
        prism.Environment["PRISM_IDENTITY_CONFIG"] = file;

        var result = await prism.RunAsync("serve", "--modules", "identity");

        var line = AssertOneLine(result);
        Assert.StartsWith($"prism: identity config {file} line 5: expiry.idTokens is not a duration", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevUp_WithABadDeprecatedTimeout_RefusesInOneLine_NamingTheOldAndNewVariables()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_DEV_START_TIMEOUT"] = "abc";

        var result = await prism.RunAsync("dev", "up", "identity");

        AssertOneLine(result,
            "prism dev: 'dev:start_timeout' (PRISM_DEV_START_TIMEOUT, deprecated: use PRISM_DEV_UP_TIMEOUT) must be a positive whole number of seconds; got 'abc'.");
    }

    [Fact]
    public async Task DevUp_WithABadTimeout_RefusesInOneLine()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_DEV_UP_TIMEOUT"] = "30";

        var result = await prism.RunAsync("dev", "up", "identity");

        AssertOneLine(result,
            "prism dev: 'dev:up_timeout' (PRISM_DEV_UP_TIMEOUT) must be a positive duration such as 500ms, 30s, 5m, 1h or 1h30m (units ms, s, m, h, d); got '30'.");
    }

    [Fact]
    public async Task DevUp_WithTheDeprecatedTimeout_StillWorks_AndWarnsOnceNamingTheReplacement()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_DEV_START_TIMEOUT"] = "60";

        var result = await prism.RunAsync("dev", "up", "identity");

        Assert.True(result.ExitCode == 0, result.ToString());
        var warning = Assert.Single(Lines(result.StandardError), l => l.Contains("msg=\"deprecated setting", StringComparison.Ordinal));
        Assert.Contains("level=WARN", warning, StringComparison.Ordinal);
        Assert.Contains("replacement=\"PRISM_DEV_UP_TIMEOUT=1m\"", warning, StringComparison.Ordinal);
    }

    private static string AssertOneLine(CliResult result, string? expected = null)
    {
        Assert.True(result.ExitCode == ConfigurationExitCode, result.ToString());
        var line = Assert.Single(Lines(result.StandardError));
        if (expected is not null)
        {
            Assert.Equal(expected, line);
        }

        Assert.DoesNotContain("   at ", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        return line;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
