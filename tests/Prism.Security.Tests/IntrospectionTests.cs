using Prism.Testing.Oidc;
using Prism.Security.Tokens;

namespace Prism.Security.Tests;

/// <summary>A foreign provider (no revocation feed) that offers introspection: revocation there bites.</summary>
public sealed class IntrospectionTests
{
    private static readonly Dictionary<string, string?> Introspecting = new()
    {
        [SecuritySettings.IntrospectionClientId.Key] = TestOidcIssuer.IntrospectionClientId,
        [SecuritySettings.IntrospectionClientSecret.Key] = TestOidcIssuer.IntrospectionClientSecret,
    };

    [Fact]
    public async Task TokenRevokedAtAForeignProvider_IsRefused_OnceTheCachedAnswerIsOlderThanTheIntrospectionCache()
    {
        await using var h = await SecurityHarness.StartAsync(Introspecting);
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"]);
        await h.ValidateAsync(token);
        await h.ValidateAsync(token);
        Assert.Equal(1, h.Issuer.IntrospectionRequests);

        h.Issuer.Revoke(token);
        await h.ValidateAsync(token);
        h.Time.Advance(TimeSpan.FromSeconds(4));
        var rejected = await h.RejectAsync(token);
        Assert.Equal(TokenRejections.Revoked, rejected.Code);
        Assert.Equal(2, h.Issuer.IntrospectionRequests);
    }

    [Fact]
    public async Task WithoutTheClientSetting_NoIntrospection_AndTheTokenLivesUntilExpiry()
    {
        await using var h = await SecurityHarness.StartAsync();
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"]);
        h.Issuer.Revoke(token);
        await h.ValidateAsync(token);
        Assert.Equal(0, h.Issuer.IntrospectionRequests);
    }

    [Fact]
    public async Task IntrospectionDown_UsesTheLastAnswerUpToTheGrace_ThenRefuses()
    {
        await using var h = await SecurityHarness.StartAsync(Introspecting);
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"]);
        await h.ValidateAsync(token);

        await h.Issuer.StopAsync();
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.ValidateAsync(token);
        h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TokenRejections.RevocationUnknown, (await h.RejectAsync(token)).Code);
    }
}
