using Microsoft.Extensions.DependencyInjection;
using Prism.Security.Tokens;

namespace Prism.Security.Tests;

/// <summary>The validated-token cache: keyed by token hash, living min(exp - now, TTL), bounded.</summary>
public sealed class TokenCacheTests
{
    [Fact]
    public async Task RepeatedToken_IsServedFromTheCache()
    {
        await using var h = await SecurityHarness.StartAsync();
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"]);

        var first = await h.ValidateAsync(token);
        var second = await h.ValidateAsync(token);

        Assert.Same(first, second);
        Assert.Equal(1, h.Issuer.DiscoveryRequests);
        Assert.Equal(1, h.Issuer.JwksRequests);
    }

    [Fact]
    public async Task NewTokens_ReuseTheCachedKeys_WithoutFetching()
    {
        await using var h = await SecurityHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await h.ValidateAsync(h.Issuer.MintToken($"user{i}@example.com", ["prism:viewer"]));
        }

        Assert.Equal(1, h.Issuer.DiscoveryRequests);
        Assert.Equal(1, h.Issuer.JwksRequests);
    }

    [Fact]
    public async Task CacheEntry_ExpiresWithTheToken()
    {
        await using var h = await SecurityHarness.StartAsync();
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"], lifetime: TimeSpan.FromMinutes(2));
        var first = await h.ValidateAsync(token);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Same(first, await h.ValidateAsync(token));

        // Past exp (but inside the clock skew) the entry is gone: the token is validated again.
        h.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.NotSame(first, await h.ValidateAsync(token));

        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TokenRejections.Expired, (await h.RejectAsync(token)).Code);
    }

    [Fact]
    public async Task CacheEntry_ExpiresAfterTheConfiguredTtl()
    {
        await using var h = await SecurityHarness.StartAsync(new Dictionary<string, string?> { [SecuritySettings.TokenCacheTtl.Key] = "1m" });
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"], lifetime: TimeSpan.FromHours(1));
        var first = await h.ValidateAsync(token);

        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Same(first, await h.ValidateAsync(token));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotSame(first, await h.ValidateAsync(token));
    }

    [Fact]
    public async Task ZeroTtl_DisablesTheCache()
    {
        await using var h = await SecurityHarness.StartAsync(new Dictionary<string, string?> { [SecuritySettings.TokenCacheTtl.Key] = "0" });
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"]);
        Assert.NotSame(await h.ValidateAsync(token), await h.ValidateAsync(token));
    }

    [Fact]
    public async Task Cache_IsBounded()
    {
        await using var h = await SecurityHarness.StartAsync(new Dictionary<string, string?> { [SecuritySettings.TokenCacheSize.Key] = "3" });
        for (var i = 0; i < 10; i++)
        {
            await h.ValidateAsync(h.Issuer.MintToken($"user{i}@example.com", ["prism:viewer"]));
        }

        Assert.InRange(h.Services.GetRequiredService<ValidatedTokenCache>().Count, 1, 3);
    }

    [Fact]
    public async Task RejectedToken_IsNotCached()
    {
        await using var h = await SecurityHarness.StartAsync();
        var token = h.Issuer.MintToken("alice@example.com", ["prism:admin"], audience: "nobody");
        await h.RejectAsync(token);
        await h.RejectAsync(token);
        Assert.Equal(0, h.Services.GetRequiredService<ValidatedTokenCache>().Count);
    }
}
