using Prism.Security.Authorization;

namespace Prism.Security.Tests;

/// <summary>Groups → roles → permissions exactly as RFC-010's table, for users and service accounts.</summary>
public sealed class RoleMappingTests
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => v.Key, v => (string?)v.Value);

    [Theory]
    [InlineData("prism:admin", "admin", "admin:read,admin:write,admin:operational,admin:audit")]
    [InlineData("prism:operator", "operator", "admin:read,admin:operational")]
    [InlineData("prism:viewer", "viewer", "admin:read")]
    public async Task DefaultGroup_GrantsTheRolesPermissions_PerRfc010(string group, string role, string permissions)
    {
        await using var h = await SecurityHarness.StartAsync();
        var principal = await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", [group]));

        Assert.Equal([role], principal.Roles.Order());
        Assert.Equal(permissions.Split(',').Order(), principal.Permissions.Order());
        Assert.Equal(Roles.PermissionsOf[role].Order(), principal.Permissions.Order());
    }

    [Fact]
    public async Task ValidatedUserToken_CarriesItsClaims()
    {
        await using var h = await SecurityHarness.StartAsync();
        var token = h.Issuer.MintToken("alice@example.com", ["prism:viewer", "team-a"], audience: "prism-admin-ui", lifetime: TimeSpan.FromMinutes(30));

        var principal = await h.ValidateAsync(token);

        Assert.Equal("user:alice@example.com", principal.Subject);
        Assert.Equal("alice@example.com", principal.Email);
        Assert.Equal("alice@example.com", principal.Actor);
        Assert.Equal("prism-admin-ui", principal.ClientId);
        Assert.False(principal.IsServiceAccount);
        Assert.Equal(["prism:viewer", "team-a"], principal.Groups);
        Assert.Equal(["openid", "email", "groups"], principal.Scopes);
        Assert.Equal(h.Time.GetUtcNow().AddMinutes(30).ToUnixTimeSeconds(), principal.ExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task AllDefaultGroups_GrantEveryPermission()
    {
        await using var h = await SecurityHarness.StartAsync();
        var principal = await h.ValidateAsync(h.Issuer.MintToken("dev@example.com", ["prism:admin", "prism:operator", "prism:viewer"]));
        Assert.Equal(["admin", "operator", "viewer"], principal.Roles.Order());
        Assert.True(principal.Has(Permissions.Audit));
    }

    [Fact]
    public async Task GroupsAsASingleString_AreAccepted()
    {
        await using var h = await SecurityHarness.StartAsync();
        var token = h.Issuer.NewUserToken("alice@example.com").With("groups", "prism:operator").Sign();
        var principal = await h.ValidateAsync(token);
        Assert.Equal(["operator"], principal.Roles);
    }

    [Fact]
    public async Task UnknownGroups_GrantNoPermission()
    {
        await using var h = await SecurityHarness.StartAsync();
        var principal = await h.ValidateAsync(h.Issuer.MintToken("mallory@example.com", ["admins", "prism:root"]));
        Assert.Empty(principal.Roles);
        Assert.Empty(principal.Permissions);
    }

    [Fact]
    public async Task GroupMapping_IsConfigurable()
    {
        await using var h = await SecurityHarness.StartAsync(Settings(
            (SecuritySettings.AdminGroups.Key, "platform-team, sre"),
            (SecuritySettings.ViewerGroups.Key, "everyone")));

        var sre = await h.ValidateAsync(h.Issuer.MintToken("sre@example.com", ["sre"]));
        var defaultAdmin = await h.ValidateAsync(h.Issuer.MintToken("old@example.com", ["prism:admin"]));

        Assert.Equal(["admin"], sre.Roles);
        Assert.Empty(defaultAdmin.Roles);
    }

    [Fact]
    public async Task UserToken_RolesClaim_IsIgnored()
    {
        await using var h = await SecurityHarness.StartAsync();
        var principal = await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:viewer"],
            claims: new Dictionary<string, object?> { ["roles"] = new[] { "admin" } }));
        Assert.Equal(["viewer"], principal.Roles);
    }

    [Fact]
    public async Task ServiceAccount_WithoutGroups_UsesTheConfiguredClientGroups()
    {
        await using var h = await SecurityHarness.StartAsync(Settings(
            (SecuritySettings.ClientGroups.Key, "prism-automation=prism:operator;ci=prism:admin")));

        var automation = await h.ValidateAsync(h.Issuer.MintServiceToken("prism-automation"));
        var ci = await h.ValidateAsync(h.Issuer.MintServiceToken("ci", audience: "prism"));

        Assert.True(automation.IsServiceAccount);
        Assert.Equal("prism-automation", automation.Actor);
        Assert.Equal(["prism:operator"], automation.Groups);
        Assert.Equal(["admin:operational", "admin:read"], automation.Permissions.Order());
        Assert.Equal(["admin"], ci.Roles);
    }

    [Fact]
    public async Task ServiceAccount_GroupsClaim_TakesPrecedenceOverTheClientMapping()
    {
        await using var h = await SecurityHarness.StartAsync(Settings((SecuritySettings.ClientGroups.Key, "prism-automation=prism:admin")));
        var principal = await h.ValidateAsync(h.Issuer.MintServiceToken("prism-automation", ["prism:viewer"]));
        Assert.Equal(["viewer"], principal.Roles);
    }

    [Fact]
    public async Task ServiceAccount_WithoutGroupsOrMapping_HasNoRole()
    {
        await using var h = await SecurityHarness.StartAsync();
        var principal = await h.ValidateAsync(h.Issuer.MintServiceToken("prism-automation"));
        Assert.Empty(principal.Permissions);
    }

    [Fact]
    public async Task ServiceAccount_RolesClaim_NamingKnownRoles_IsHonoured()
    {
        await using var h = await SecurityHarness.StartAsync();
        var principal = await h.ValidateAsync(h.Issuer.MintServiceToken("prism-automation",
            claims: new Dictionary<string, object?> { ["roles"] = new[] { "operator", "superuser" } }));
        Assert.Equal(["operator"], principal.Roles);
    }

    [Fact]
    public async Task ServiceAccount_ClientIdFromAzp_IsUsed()
    {
        await using var h = await SecurityHarness.StartAsync(Settings((SecuritySettings.ClientGroups.Key, "deployer=prism:viewer")));
        var token = h.Issuer.NewServiceToken("deployer", audience: "prism").With("client_id", null).With("azp", "deployer").Sign();
        var principal = await h.ValidateAsync(token);
        Assert.Equal("deployer", principal.ClientId);
        Assert.Equal(["viewer"], principal.Roles);
    }

    [Fact]
    public async Task AcceptedAudiences_AreConfigurable()
    {
        await using var h = await SecurityHarness.StartAsync(Settings((SecuritySettings.Audiences.Key, "prismctl-api, ops-portal")));

        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:viewer"], audience: "ops-portal"));
        var multi = h.Issuer.NewUserToken("alice@example.com", ["prism:viewer"]).With("aud", new[] { "other", "prismctl-api" }).Sign();
        await h.ValidateAsync(multi);
        var e = await h.RejectAsync(h.Issuer.MintToken("alice@example.com", ["prism:viewer"], audience: "prismctl"));
        Assert.Equal(Tokens.TokenRejections.WrongAudience, e.Code);
    }

    [Theory]
    [InlineData("prismctl")]
    [InlineData("prism-admin-ui")]
    [InlineData("prism-automation")]
    [InlineData("prism")]
    public async Task DefaultAudiences_AreAccepted(string audience)
    {
        await using var h = await SecurityHarness.StartAsync();
        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:viewer"], audience: audience));
    }
}
