using Prism.Security.Tokens;

namespace Prism.Security.Tests;

/// <summary>Every rejection DESIGN.md lists: a stable code and a message that says why, never the token.</summary>
public sealed class TokenRejectionTests : IAsyncLifetime
{
    private SecurityHarness _h = null!;

    public async Task InitializeAsync() => _h = await SecurityHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private string Admin() => _h.Issuer.MintToken("alice@example.com", ["prism:admin"]);

    [Fact]
    public async Task EmptyToken_IsRejected()
    {
        var e = await Assert.ThrowsAsync<TokenRejectedException>(() => _h.ValidateAsync("  "));
        Assert.Equal(TokenRejections.Missing, e.Code);
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.!!!.abc")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bnVsbA.abc")]
    [InlineData("W10.e30.")]
    [InlineData("a.b.c.d.e")]
    public async Task MalformedToken_IsRejected(string token)
    {
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.Malformed, e.Code);
        Assert.Contains("well-formed", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("at_hash")]
    [InlineData("c_hash")]
    public async Task IdToken_IsRejected_SayingToUseTheAccessToken(string hashClaim)
    {
        var token = _h.Issuer.MintToken("alice@example.com", ["prism:admin"], claims: new Dictionary<string, object?> { [hashClaim] = "x7dRTnI1dYkbnRYHJN6mNQ", ["nonce"] = "n" });
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.IdToken, e.Code);
        Assert.Equal("this is an ID token: present the access token (access_token of the token response) as the bearer token", e.Message);
    }

    [Fact]
    public async Task AccessTokens_AreAccepted_PlainJwtsAndRfc9068Ones()
    {
        Assert.Equal("alice@example.com", (await _h.ValidateAsync(Admin())).Email);
        var typed = _h.Issuer.NewUserToken("bob@example.com", ["prism:admin"], claims: new Dictionary<string, object?> { ["at_hash"] = "ignored" })
            .WithHeader("typ", "at+jwt").Sign();
        Assert.Equal("bob@example.com", (await _h.ValidateAsync(typed)).Email);
    }

    [Fact]
    public async Task OversizedToken_IsRejected()
    {
        var token = _h.Issuer.MintToken("alice@example.com", ["prism:admin"], claims: new Dictionary<string, object?> { ["padding"] = new string('x', 17 * 1024) });
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.TooLarge, e.Code);
        Assert.Equal(0, _h.Issuer.DiscoveryRequests);
    }

    [Fact]
    public async Task AlgNone_IsRejected()
    {
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).WithHeader("alg", "none").Sign();
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.AlgNone, e.Code);
        Assert.Contains("alg 'none'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task HmacSignedWithTheRsaModulus_IsRejected(string alg)
    {
        var jwt = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).SignWithHmac(_h.Issuer.CurrentKey.Modulus);
        jwt.WithHeader("alg", alg);
        var e = await _h.RejectAsync(jwt.Sign());
        Assert.Equal(TokenRejections.AlgHmac, e.Code);
        Assert.Contains("HMAC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadSignature_IsRejected()
    {
        var jwt = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]);
        jwt.Key = _h.Issuer.CreateUnpublishedKey(); // kid still names the published key
        var e = await _h.RejectAsync(jwt.Sign());
        Assert.Equal(TokenRejections.BadSignature, e.Code);
        Assert.Equal("token signature is invalid", e.Message);
    }

    [Fact]
    public async Task TamperedPayload_IsRejected_AsBadSignature()
    {
        var parts = _h.Issuer.MintToken("alice@example.com", ["prism:viewer"]).Split('.');
        var forged = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).Sign().Split('.')[1];
        var e = await _h.RejectAsync($"{parts[0]}.{forged}.{parts[2]}");
        Assert.Equal(TokenRejections.BadSignature, e.Code);
    }

    [Fact]
    public async Task UnknownKid_IsRejected_AfterOneRefetch()
    {
        await _h.ValidateAsync(Admin());
        var jwksBefore = _h.Issuer.JwksRequests;
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]);
        token.Key = _h.Issuer.CreateUnpublishedKey();
        token.WithHeader("kid", token.Key.KeyId);

        var e = await _h.RejectAsync(token.Sign());

        Assert.Equal(TokenRejections.UnknownKid, e.Code);
        Assert.Equal(jwksBefore + 1, _h.Issuer.JwksRequests);
    }

    [Fact]
    public async Task MissingKid_IsRejected_WhenTheKeySetHasSeveralKeys()
    {
        _h.Issuer.RotateKeys(keepPrevious: true);
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).WithHeader("kid", null).Sign();
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.MissingKid, e.Code);
    }

    [Fact]
    public async Task MissingKid_IsAccepted_WhenTheKeySetHasOneKey()
    {
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).WithHeader("kid", null).Sign();
        var principal = await _h.ValidateAsync(token);
        Assert.Equal("alice@example.com", principal.Email);
    }

    [Fact]
    public async Task WrongIssuer_IsRejected()
    {
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).With("iss", "http://127.0.0.1:1/realms/other").Sign();
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.WrongIssuer, e.Code);
        Assert.Contains("issuer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongAudience_IsRejected()
    {
        var e = await _h.RejectAsync(_h.Issuer.MintToken("alice@example.com", ["prism:admin"], audience: "someone-else"));
        Assert.Equal(TokenRejections.WrongAudience, e.Code);
        Assert.Contains("audience", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_IsRejected()
    {
        var token = _h.Issuer.MintToken("alice@example.com", ["prism:admin"], lifetime: TimeSpan.FromMinutes(5));
        _h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(61));
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.Expired, e.Code);
        Assert.Equal("token has expired", e.Message);
    }

    [Fact]
    public async Task TokenExpiredWithinTheClockSkew_IsAccepted()
    {
        var token = _h.Issuer.MintToken("alice@example.com", ["prism:admin"], lifetime: TimeSpan.FromMinutes(5));
        _h.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(30));
        Assert.Equal("alice@example.com", (await _h.ValidateAsync(token)).Email);
    }

    [Fact]
    public async Task NotYetValidToken_IsRejected()
    {
        var nbf = _h.Time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).With("nbf", nbf).Sign();
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.NotYetValid, e.Code);
    }

    [Fact]
    public async Task TokenWithoutExp_IsRejected()
    {
        var e = await _h.RejectAsync(_h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).With("exp", null).Sign());
        Assert.Equal(TokenRejections.MissingExpiry, e.Code);
    }

    [Fact]
    public async Task EmailNotVerified_IsRejected_ForUserTokens()
    {
        var e = await _h.RejectAsync(_h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).With("email_verified", false).Sign());
        Assert.Equal(TokenRejections.EmailNotVerified, e.Code);
        Assert.Contains("email_verified=false", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSubject_IsRejected()
    {
        var e = await _h.RejectAsync(_h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).With("sub", null).Sign());
        Assert.Equal(TokenRejections.MissingSubject, e.Code);
    }

    [Fact]
    public async Task IssuerNeverReachable_IsRejected_WithAClearMessage()
    {
        var token = Admin();
        await _h.Issuer.StopAsync().WaitAsync(SecurityHarness.Timeout);
        var e = await _h.RejectAsync(token);
        Assert.Equal(TokenRejections.IdentityProviderUnreachable, e.Code);
        Assert.Equal("identity provider unreachable and no cached keys", e.Message);
    }

    [Fact]
    public async Task Rejection_IsLogged_WithItsCodeButNeverTheToken()
    {
        var token = _h.Issuer.NewUserToken("alice@example.com", ["prism:admin"]).WithHeader("alg", "none").Sign();
        await _h.RejectAsync(token);
        var entry = Assert.Single(_h.Logs.Entries, e => e.EventId.Name == "TokenRejected");
        Assert.Equal(TokenRejections.AlgNone, entry.Fields["Code"]);
        Assert.DoesNotContain(_h.Logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal));
    }
}
