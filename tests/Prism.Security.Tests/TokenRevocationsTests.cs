using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Prism.Security.Configuration;
using Prism.Security.Revocation;
using Prism.Security.Tokens;

namespace Prism.Security.Tests;

public sealed class TokenRevocationsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RevokedTokenId_RevokedGrant_AndDisabledSubject_AreRefused_OthersPass()
    {
        var (revocations, _) = Create();
        revocations.UpdateFeed(["tok-1"], ["grant-1"], ["user-disabled"]);

        Assert.Equal(TokenRejections.Revoked, Reject(revocations, Principal("alice", new("tok-1", "grant-9", Start))));
        Assert.Equal(TokenRejections.Revoked, Reject(revocations, Principal("alice", new("tok-2", "grant-1", Start))));
        Assert.Equal(TokenRejections.UserDisabled, Reject(revocations, Principal("user-disabled", new("tok-3", null, Start))));
        revocations.Check(Principal("alice", new("tok-2", "grant-2", Start)));
    }

    [Fact]
    public void TerminatedIdentity_RefusesTokensIssuedUpToThatSecond_NotLaterOnes()
    {
        var (revocations, _) = Create();
        revocations.UpdateFeed([], [], []);
        revocations.UpdateIdentities(new Dictionary<string, DateTimeOffset> { ["alice@example.com"] = Start.AddMilliseconds(400) });

        Assert.Equal(TokenRejections.Revoked, Reject(revocations, Principal("sub-a", new("t", null, Start.AddMinutes(-5)))));
        Assert.Equal(TokenRejections.Revoked, Reject(revocations, Principal("sub-a", new("t", null, Start))));
        Assert.Equal(TokenRejections.Revoked, Reject(revocations, Principal("sub-a", new("t", null, null))));
        revocations.Check(Principal("sub-a", new("t", null, Start.AddSeconds(1))));
        revocations.Check(Principal("sub-b", new("t", null, Start), email: "bob@example.com"));
    }

    [Fact]
    public void UnreadFeed_PastTheGrace_RefusesEveryToken_UntilReadAgain()
    {
        var (revocations, time) = Create();
        revocations.UpdateFeed([], [], []);
        time.Advance(TimeSpan.FromMinutes(2));
        revocations.Check(Principal("alice", new("t", null, Start)));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenRejections.RevocationUnknown, Reject(revocations, Principal("alice", new("t", null, Start))));

        revocations.UpdateFeed([], [], []);
        revocations.Check(Principal("alice", new("t", null, Start)));
    }

    [Fact]
    public void ForeignProvider_WithoutAFeed_NeverFailsClosed()
    {
        var (revocations, time) = Create();
        revocations.NoFeed();
        time.Advance(TimeSpan.FromHours(1));
        revocations.Check(Principal("alice", new("t", null, Start)));
        Assert.False(revocations.FeedPublished);
    }

    private static (TokenRevocations, FakeTimeProvider) Create()
    {
        var time = new FakeTimeProvider(Start);
        return (new TokenRevocations(Options.Create(new SecurityOptions { RevocationGrace = TimeSpan.FromMinutes(2) }), time), time);
    }

    private static PrismPrincipal Principal(string subject, TokenIdentifiers token, string email = "alice@example.com") =>
        new(subject, email, "prismctl", [], new HashSet<string>(), new HashSet<string>(), Start.AddHours(1)) { Token = token };

    private static string Reject(TokenRevocations revocations, PrismPrincipal principal) =>
        Assert.Throws<TokenRejectedException>(() => revocations.Check(principal)).Code;
}
