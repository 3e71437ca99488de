using System.Text.Json.Nodes;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>Exit codes and one-line messages for usage errors, bad credentials and unreachable servers; configuration precedence.</summary>
[Collection(PrismServersCollection.Name)]
public sealed class ErrorTests(PrismServers servers)
{
    [Theory]
    [InlineData("no-such-command")]
    [InlineData("namespace")]
    [InlineData("namespace", "get")]
    [InlineData("namespace", "list", "--output", "xml")]
    [InlineData("namespace", "create", "x", "--backend", "no-equals-sign")]
    [InlineData("audit", "--since", "yesterday")]
    [InlineData("login", "--device", "--password")]
    public async Task UsageErrors_ExitWith2_AndOneLine(params string[] arguments)
    {
        using var cli = new Prismctl(servers);

        var result = await cli.RunAsync(arguments);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("prismctl: usage error: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPrismToken_IsUnauthenticated_WithoutAStackTrace()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_TOKEN"] = "not-a-token";

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == ExitCodes.Unauthenticated, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("prismctl: unauthenticated: ", line, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.TokenPath), "PRISM_TOKEN is used as is, never cached or replaced");
    }

    [Fact]
    public async Task ClosedAdminPort_IsUnavailable_AndVerboseShowsDetails()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_ADMIN_ENDPOINT"] = $"http://127.0.0.1:{FreePort.Next()}";

        var result = await cli.RunAsync("namespace", "list");
        Assert.True(result.ExitCode == ExitCodes.Unavailable, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("Auto-authenticated", StringComparison.Ordinal));
        Assert.StartsWith("prismctl: unavailable: admin server http://127.0.0.1:", line, StringComparison.Ordinal);

        var verbose = await cli.RunAsync("namespace", "list", "--verbose");
        Assert.Equal(ExitCodes.Unavailable, verbose.ExitCode);
        Assert.Contains("status: Unavailable", verbose.StandardError, StringComparison.Ordinal);
        Assert.Matches(@"request id: [0-9a-f-]{36}", verbose.StandardError);
        Assert.Contains("RpcException", verbose.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedIdentityPort_IsUnavailable()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_OIDC_ISSUER"] = $"http://127.0.0.1:{FreePort.Next()}/dex";

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == ExitCodes.Unavailable, result.ToString());
        Assert.StartsWith("prismctl: unavailable: identity provider http://127.0.0.1:", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFile_IsRead_FlagsOverrideIt_AndTheEnvironmentOverridesIt()
    {
        using var cli = new Prismctl(servers);
        cli.Environment["PRISM_ADMIN_ENDPOINT"] = null;
        cli.Environment["PRISM_OIDC_ISSUER"] = null;
        cli.Environment["PRISM_LOCAL_DEV"] = null;
        var closed = $"http://127.0.0.1:{FreePort.Next()}";
        File.WriteAllText(Path.Combine(cli.Home, "config.yaml"), $"""
            admin:
              endpoint: {servers.AdminEndpoint}
            auth:
              oidc:
                issuer: {servers.Issuer}
                client_id: prismctl
                auto_login: true
            """);

        var fromFile = await cli.RunAsync("namespace", "list");
        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Contains("Auto-authenticated as dev@local.prism", fromFile.StandardError, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Unavailable, (await cli.RunAsync("namespace", "list", "--admin-endpoint", closed)).ExitCode);
        cli.Environment["PRISM_ADMIN_ENDPOINT"] = closed;
        Assert.Equal(ExitCodes.Unavailable, (await cli.RunAsync("namespace", "list")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("namespace", "list", "--admin-endpoint", servers.AdminEndpoint)).ExitCode);
    }

    [Fact]
    public async Task JsonOutput_IsParseable_AndTablesHaveNoAnsiInPipes()
    {
        using var cli = new Prismctl(servers);

        var json = await cli.RunAsync("namespace", "list", "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.NotNull(JsonNode.Parse(json.StandardOutput)!["namespaces"]);

        var table = await cli.RunAsync("backend", "list");
        Assert.DoesNotContain("\u001b[", table.StandardOutput, StringComparison.Ordinal);
        Assert.All(table.StandardOutput.Split('\n'), l => Assert.Equal(l.TrimEnd(), l));
    }
}
