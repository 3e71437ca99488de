using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Prism.Cli.Tests;

/// <summary>login (device, password, client credentials), logout, whoami, and the token cache's guard rails.</summary>
[Collection(PrismServersCollection.Name)]
public sealed partial class LoginTests(PrismServers servers)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DeviceLogin_Completes_WhenSomeoneSignsInOnTheVerificationPage()
    {
        using var cli = new Prismctl(servers, localDev: false);
        using var login = LiveProcess.Start(cli.Environment, "login", "--device");

        var prompt = await login.StderrLineAsync(l => UserCode().IsMatch(l), Timeout);
        var match = UserCode().Match(prompt);
        Assert.Equal(servers.Issuer + "/device", match.Groups["url"].Value);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = match.Groups["code"].Value,
            ["prism_email"] = "test@local.prism",
            ["prism_password"] = "devpass",
        });
        var approved = await http.PostAsync(new Uri(match.Groups["url"].Value), form).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);

        Assert.True(await login.ExitCodeAsync(Timeout) == 0, login.Transcript);
        Assert.Contains("Logged in as test@local.prism", login.Transcript, StringComparison.Ordinal);
        Assert.Equal("600", cli.TokenMode);
        var whoami = await cli.RunAsync("whoami", "-o", "json");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        var identity = JsonNode.Parse(whoami.StandardOutput)!;
        Assert.Equal("test@local.prism", (string?)identity["email"]);
        Assert.Equal(["viewer"], identity["roles"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(["admin:read"], identity["permissions"]!.AsArray().Select(r => (string?)r));
    }

    [Fact]
    public async Task PasswordLogin_ThenWhoAmI_ShowsEmailGroupsRolesAndExpiry()
    {
        using var cli = new Prismctl(servers, localDev: false);
        await cli.LoginAsync("dev@local.prism");

        var table = await cli.RunAsync("whoami");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"identity\s+dev@local\.prism", table.StandardOutput);
        Assert.Matches(@"groups\s+prism:admin,prism:operator,prism:viewer", table.StandardOutput);
        Assert.Matches(@"roles\s+admin,operator,viewer", table.StandardOutput);
        Assert.Matches(@"expires\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", table.StandardOutput);
        Assert.DoesNotContain("\u001b[", table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_IsUnauthenticated()
    {
        using var cli = new Prismctl(servers, localDev: false);

        var result = await cli.RunWithInputAsync("wrong\n", "login", "--password", "--username", "dev@local.prism");

        Assert.True(result.ExitCode == ExitCodes.Unauthenticated, result.ToString());
        Assert.StartsWith("prismctl: unauthenticated: ", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.TokenPath));
    }

    [Fact]
    public async Task ClientCredentials_FromTheEnvironment_ActAsTheServiceAccount()
    {
        using var cli = new Prismctl(servers, localDev: false);
        cli.Environment["PRISM_CLIENT_ID"] = "prism-automation";
        cli.Environment["PRISM_CLIENT_SECRET"] = "prism-automation-dev-secret";

        var list = await cli.RunAsync("namespace", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var whoami = JsonNode.Parse((await cli.RunAsync("whoami", "-o", "json")).StandardOutput)!;
        Assert.Equal("prism-automation", (string?)whoami["identity"]);
        Assert.Equal(["operator"], whoami["roles"]!.AsArray().Select(r => (string?)r));

        var create = await cli.RunAsync("namespace", "create", "automation-denied");
        Assert.True(create.ExitCode == ExitCodes.PermissionDenied, create.ToString());

        var explicitLogin = await cli.RunAsync("login", "--client-credentials", "-o", "json");
        Assert.True(explicitLogin.ExitCode == 0, explicitLogin.ToString());
        Assert.Equal("prism-automation", (string?)JsonNode.Parse(explicitLogin.StandardOutput)!["identity"]);
    }

    [Fact]
    public async Task Logout_RevokesTheRefreshToken_AndRemovesTheCache()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("whoami")).ExitCode);
        var refreshToken = (string)JsonNode.Parse(File.ReadAllText(cli.TokenPath))!["refresh_token"]!;

        var result = await cli.RunAsync("logout", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(cli.TokenPath));
        Assert.Equal(true, (bool?)JsonNode.Parse(result.StandardOutput)!["revoked"]);
        using var http = new HttpClient();
        using var refresh = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "prismctl",
            ["refresh_token"] = refreshToken,
        });
        var reuse = await http.PostAsync(new Uri(servers.Issuer + "/token"), refresh).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, reuse.StatusCode);

        var again = await cli.RunAsync("logout");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("Not logged in", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCache_ReadableByOthers_IsRefused_WithTheFix()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("whoami")).ExitCode);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(cli.TokenPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("0644", line, StringComparison.Ordinal);
        Assert.Contains($"chmod 600 {cli.TokenPath}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RejectedCachedToken_IsRenewedOnce_AndTheCallSucceeds()
    {
        using var cli = new Prismctl(servers);
        Assert.Equal(0, (await cli.RunAsync("whoami")).ExitCode);
        var cached = JsonNode.Parse(File.ReadAllText(cli.TokenPath))!;
        cached["access_token"] = "not-a-jwt";
        File.WriteAllText(cli.TokenPath, cached.ToJsonString());

        var result = await cli.RunAsync("namespace", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("Auto-authenticated", result.StandardError, StringComparison.Ordinal);
        Assert.NotEqual("not-a-jwt", (string?)JsonNode.Parse(File.ReadAllText(cli.TokenPath))!["access_token"]);
    }

    [GeneratedRegex(@"open (?<url>\S+) and enter the code (?<code>\S+)")]
    private static partial Regex UserCode();
}
