using Prism.Security.Tokens;

namespace Prism.Security.Tests;

/// <summary>JWKS caching: refetch on unknown kid (rate-limited), background refresh, offline validation.</summary>
public sealed class KeyRefreshTests
{
    [Fact]
    public async Task RotatedKey_IsFetchedAtOnce_OnUnknownKid()
    {
        await using var h = await SecurityHarness.StartAsync();
        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));

        h.Issuer.RotateKeys();
        var principal = await h.ValidateAsync(h.Issuer.MintToken("bob@example.com", ["prism:viewer"]));

        Assert.Equal("bob@example.com", principal.Email);
        Assert.Equal(2, h.Issuer.JwksRequests);
    }

    [Fact]
    public async Task TokensOfThePreviousKey_StayValid_AfterRotation()
    {
        await using var h = await SecurityHarness.StartAsync();
        var old = h.Issuer.MintToken("alice@example.com", ["prism:admin"]);
        h.Issuer.RotateKeys(keepPrevious: true);
        await h.ValidateAsync(h.Issuer.MintToken("bob@example.com", ["prism:viewer"]));
        Assert.Equal("alice@example.com", (await h.ValidateAsync(old)).Email);
    }

    [Fact]
    public async Task UnknownKidRefetch_IsRateLimited()
    {
        await using var h = await SecurityHarness.StartAsync();
        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));
        var stranger = h.Issuer.CreateUnpublishedKey();
        string Forged()
        {
            var jwt = h.Issuer.NewUserToken($"{Guid.NewGuid():N}@example.com", ["prism:admin"]).WithHeader("kid", stranger.KeyId);
            jwt.Key = stranger;
            return jwt.Sign();
        }

        await h.RejectAsync(Forged());
        Assert.Equal(2, h.Issuer.JwksRequests);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TokenRejections.UnknownKid, (await h.RejectAsync(Forged())).Code);
        }

        Assert.Equal(2, h.Issuer.JwksRequests);

        h.Time.Advance(TimeSpan.FromSeconds(31));
        await h.RejectAsync(Forged());
        Assert.Equal(3, h.Issuer.JwksRequests);
    }

    [Fact]
    public async Task RotationWithinTheRateLimit_IsPickedUpOnceTheIntervalPasses()
    {
        await using var h = await SecurityHarness.StartAsync(new Dictionary<string, string?> { [SecuritySettings.JwksRefetchInterval.Key] = "30s" });
        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));
        h.Issuer.RotateKeys();
        await h.ValidateAsync(h.Issuer.MintToken("bob@example.com", ["prism:admin"]));

        h.Issuer.RotateKeys();
        var third = h.Issuer.MintToken("carol@example.com", ["prism:admin"]);
        Assert.Equal(TokenRejections.UnknownKid, (await h.RejectAsync(third)).Code);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("carol@example.com", (await h.ValidateAsync(third)).Email);
    }

    [Fact]
    public async Task Keys_AreRefreshedInTheBackground_AfterTheRefreshInterval()
    {
        await using var h = await SecurityHarness.StartAsync();
        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));

        h.Time.Advance(TimeSpan.FromHours(24));
        await h.ValidateAsync(h.Issuer.MintToken("bob@example.com", ["prism:admin"]));

        await SecurityHarness.EventuallyAsync(() => h.Issuer.JwksRequests == 2);
        Assert.Equal(2, h.Issuer.DiscoveryRequests);
    }

    [Fact]
    public async Task Validation_GoesOnOffline_WhileTheIssuerIsStopped()
    {
        await using var h = await SecurityHarness.StartAsync();
        await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));
        await h.Issuer.StopAsync().WaitAsync(SecurityHarness.Timeout);

        Assert.Equal("bob@example.com", (await h.ValidateAsync(h.Issuer.MintToken("bob@example.com", ["prism:viewer"]))).Email);

        // Past the refresh interval the background refresh fails; the cached keys keep working.
        h.Time.Advance(TimeSpan.FromHours(25));
        await h.ValidateAsync(h.Issuer.MintToken("carol@example.com", ["prism:viewer"]));
        await SecurityHarness.EventuallyAsync(() => h.Logs.Entries.Any(e => e.EventId.Name == "IdentityProviderUnreachable"));
        Assert.Equal("dave@example.com", (await h.ValidateAsync(h.Issuer.MintToken("dave@example.com", ["prism:viewer"]))).Email);
    }

    [Fact]
    public async Task IssuerComingBack_IsUsed_AfterAnOutageAtStart()
    {
        await using var h = await SecurityHarness.StartAsync();
        await h.Issuer.StopAsync().WaitAsync(SecurityHarness.Timeout);
        await h.RejectAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));

        await h.Issuer.RestartAsync().WaitAsync(SecurityHarness.Timeout);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("alice@example.com", (await h.ValidateAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]))).Email);
    }
}
