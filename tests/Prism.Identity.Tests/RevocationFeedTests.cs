using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.EntityFrameworkCore.Models;
using Prism.Identity.Storage;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class RevocationFeedTests
{
    [Fact]
    public async Task Discovery_AdvertisesTheFeed_AndALoggedOutGrantAppearsInIt()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        var discovery = await server.DiscoverAsync();
        Assert.Equal(server.Issuer + "/token/revocations", discovery.TryGetString("prism_revocation_feed_endpoint"));

        var tokens = await server.PasswordTokenAsync();
        var access = new JsonWebToken(tokens.AccessToken);
        var tokenId = access.GetClaim("oi_tkn_id").Value;
        var grantId = access.GetClaim("oi_au_id").Value;
        var before = await FeedAsync(server);
        Assert.DoesNotContain(grantId, Strings(before, "revoked_authorization_ids"));

        // What prismctl logout does: revoke the refresh token.
        var revoked = await server.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = server.Issuer + "/token/revoke",
            ClientId = "prismctl",
            Token = tokens.RefreshToken!,
            TokenTypeHint = "refresh_token",
        }).WaitAsync(IdentityServer.Timeout);
        Assert.False(revoked.IsError, revoked.Error);

        var after = await FeedAsync(server);
        Assert.Contains(grantId, Strings(after, "revoked_authorization_ids"));
        Assert.DoesNotContain(tokens.AccessToken!, after.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.RefreshToken!, after.GetRawText(), StringComparison.Ordinal);

        // Revoking one access token lists its id.
        var other = await server.PasswordTokenAsync(user: "test@local.prism");
        await server.Http.RevokeTokenAsync(new TokenRevocationRequest
        {
            Address = server.Issuer + "/token/revoke",
            ClientId = "prismctl",
            Token = other.AccessToken!,
            TokenTypeHint = "access_token",
        }).WaitAsync(IdentityServer.Timeout);
        Assert.Contains(new JsonWebToken(other.AccessToken).GetClaim("oi_tkn_id").Value, Strings(await FeedAsync(server), "revoked_token_ids"));
        Assert.NotEqual(tokenId, new JsonWebToken(other.AccessToken).GetClaim("oi_tkn_id").Value);
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_AndIsListedInTheFeed()
    {
        using var home = new TempDirectory();
        var config = Path.Combine(home.Path, "dex.yaml");
        await File.WriteAllTextAsync(config, DexFiles.BuiltInWith("userID: 08a8684b-db88-4b73-90a9-3cd1661f5466",
            "userID: 08a8684b-db88-4b73-90a9-3cd1661f5466\n    disabled: true"));
        await using var server = await IdentityServer.StartAsync(home.Path, new Dictionary<string, string?> { ["identity:config"] = config });

        var refused = await server.PasswordTokenAsync();
        Assert.Equal("invalid_grant", refused.Error);
        Assert.Equal("This account is disabled.", refused.ErrorDescription);
        Assert.False((await server.PasswordTokenAsync(user: "test@local.prism")).IsError);
        Assert.Contains("08a8684b-db88-4b73-90a9-3cd1661f5466", Strings(await FeedAsync(server), "disabled_subjects"));
    }

    [Fact]
    public async Task HourlyPruning_DeletesExpiredTokens_AndTheirAuthorizations()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 3; i++)
        {
            Assert.False((await server.PasswordTokenAsync()).IsError);
        }

        var (tokens, authorizations) = Count(server);
        Assert.True(tokens >= 6, $"{tokens} tokens stored");
        Assert.Equal(3, authorizations);

        // An hour later nothing has expired beyond the refresh tokens: the access tokens go, the grants stay.
        time.Advance(TimeSpan.FromHours(1) + IdentityStorePruner.Margin + TimeSpan.FromMinutes(1));
        await WaitUntil(() => Count(server).Tokens == 3);
        Assert.Equal(3, Count(server).Authorizations);

        // Past the refresh tokens' lifetime (7 days) the next hourly run leaves nothing.
        time.Advance(TimeSpan.FromDays(7));
        time.Advance(TimeSpan.FromHours(1));
        await WaitUntil(() => Count(server) == (0, 0));
    }

    private static (int Tokens, int Authorizations) Count(IdentityServer server)
    {
        using var scope = server.App.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IdentityStoreContext>();
        return (store.Set<OpenIddictEntityFrameworkCoreToken>().Count(), store.Set<OpenIddictEntityFrameworkCoreAuthorization>().Count());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + IdentityServer.Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the pruner did not run");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> FeedAsync(IdentityServer server)
    {
        using var response = await server.Http.GetAsync(new Uri(server.Issuer + "/token/revocations")).WaitAsync(IdentityServer.Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static List<string> Strings(JsonElement feed, string name) =>
        [.. feed.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
