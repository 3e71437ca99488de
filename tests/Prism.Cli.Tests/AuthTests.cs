using System.Text.Json.Nodes;

namespace Prism.Cli.Tests;

/// <summary>Credential order, token cache and automatic login (RFC-016, RFC-010 "Session Establishment").</summary>
[Collection(PrismServersCollection.Name)]
public sealed class AuthTests(PrismServers servers)
{
    [Fact]
    public async Task LocalDev_NamespaceList_LogsInByItself_CachesOwnerOnly_AndReusesTheCache()
    {
        using var cli = new Prismctl(servers);

        var first = await cli.RunAsync("namespace", "list");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Auto-authenticated as dev@local.prism", first.StandardError, StringComparison.Ordinal);
        Assert.Contains("NAME", first.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(cli.TokenPath));
        Assert.Equal("600", cli.TokenMode);
        var cached = JsonNode.Parse(File.ReadAllText(cli.TokenPath))!;
        foreach (var field in new[] { "access_token", "refresh_token", "id_token", "token_type", "expires_at" })
        {
            Assert.False(string.IsNullOrEmpty((string?)cached[field]), field + " missing: " + cached);
        }

        Assert.EndsWith("Z", (string)cached["expires_at"]!, StringComparison.Ordinal);
        var before = File.ReadAllText(cli.TokenPath);

        var second = await cli.RunAsync("namespace", "list");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("Auto-authenticated", second.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(cli.TokenPath));
    }

    [Fact]
    public async Task ExpiredAccessToken_IsRefreshed_WithoutLoggingInAgain()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("namespace", "list")).ExitCode);
        var cached = JsonNode.Parse(File.ReadAllText(cli.TokenPath))!;
        var oldAccess = (string)cached["access_token"]!;
        cached["expires_at"] = "2000-01-01T00:00:00Z";
        File.WriteAllText(cli.TokenPath, cached.ToJsonString());

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Auto-authenticated", result.StandardError, StringComparison.Ordinal);
        var refreshed = JsonNode.Parse(File.ReadAllText(cli.TokenPath))!;
        Assert.NotEqual(oldAccess, (string)refreshed["access_token"]!);
        Assert.True(DateTimeOffset.Parse((string)refreshed["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow);
        Assert.Equal("600", cli.TokenMode);
    }

    [Fact]
    public async Task Viewer_CreatingANamespace_IsDenied_WithOneLineNamingThePermission()
    {
        using var cli = new Prismctl(servers, localDev: false);
        await cli.LoginAsync("test@local.prism");

        var result = await cli.RunAsync("namespace", "create", "viewer-denied");

        Assert.True(result.ExitCode == ExitCodes.PermissionDenied, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("prismctl: permission denied: ", line, StringComparison.Ordinal);
        Assert.Contains("admin:write", line, StringComparison.Ordinal);
        Assert.Contains("test@local.prism", line, StringComparison.Ordinal);
    }
}
