using Microsoft.Extensions.Options;
using Prism.Security.Configuration;
using Prism.Security.Tokens;

namespace Prism.Security.Revocation;

/// <summary>
/// What a valid signature does not say: tokens revoked at Prism's identity provider (by token id or grant id),
/// disabled users, and identities an operator terminated. Filled by <see cref="RevocationPoller"/>, checked by
/// <see cref="OidcTokenValidator"/> on every call, cached tokens included. When the provider publishes a feed
/// and it has not been read for <see cref="SecurityOptions.RevocationGrace"/>, every token is refused.
/// </summary>
public sealed class TokenRevocations
{
    // Tokens issued in the same second as a termination are refused too (iat has whole seconds).
    private static readonly TimeSpan IssuedAtResolution = TimeSpan.FromSeconds(1);

    private readonly SecurityOptions _options;
    private readonly TimeProvider _time;
    private volatile FeedSnapshot _feed = FeedSnapshot.Empty;
    private volatile IReadOnlyDictionary<string, DateTimeOffset> _identities = new Dictionary<string, DateTimeOffset>();
    private long _lastFeedRead;
    // 0: not known yet (discovery not read), 1: published, 2: none (a foreign provider).
    private volatile int _feedPublished;

    /// <summary>Creates an empty state; the feed counts as unread since now.</summary>
    public TokenRevocations(IOptions<SecurityOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _lastFeedRead = time.GetUtcNow().UtcTicks;
    }

    /// <summary>Whether the identity provider publishes a revocation feed: null until discovery was read.</summary>
    public bool? FeedPublished => _feedPublished switch { 1 => true, 2 => false, _ => null };

    /// <summary>Refuses <paramref name="principal"/> when its token was revoked, its user disabled or its identity terminated.</summary>
    /// <exception cref="TokenRejectedException">With <see cref="TokenRejections.Revoked"/>, <see cref="TokenRejections.UserDisabled"/> or <see cref="TokenRejections.RevocationUnknown"/>.</exception>
    public void Check(PrismPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (FeedPublished != false && _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastFeedRead) > _options.RevocationGrace.Ticks)
        {
            throw TokenRejections.Reject(TokenRejections.RevocationUnknown);
        }

        var feed = _feed;
        var token = principal.Token;
        if (feed.DisabledSubjects.Contains(principal.Subject))
        {
            throw TokenRejections.Reject(TokenRejections.UserDisabled);
        }

        if ((token?.TokenId is { } id && feed.TokenIds.Contains(id)) || (token?.AuthorizationId is { } grant && feed.AuthorizationIds.Contains(grant)))
        {
            throw TokenRejections.Reject(TokenRejections.Revoked);
        }

        var identities = _identities;
        if (identities.Count > 0 && (Terminated(identities, principal.Subject, token) || Terminated(identities, principal.Actor, token)))
        {
            throw TokenRejections.Reject(TokenRejections.Revoked);
        }
    }

    /// <summary>Replaces the feed's content after a successful read.</summary>
    public void UpdateFeed(IEnumerable<string> tokenIds, IEnumerable<string> authorizationIds, IEnumerable<string> disabledSubjects)
    {
        _feed = new FeedSnapshot(
            tokenIds.ToHashSet(StringComparer.Ordinal), authorizationIds.ToHashSet(StringComparer.Ordinal), disabledSubjects.ToHashSet(StringComparer.Ordinal));
        _feedPublished = 1;
        Interlocked.Exchange(ref _lastFeedRead, _time.GetUtcNow().UtcTicks);
    }

    /// <summary>Records that the provider's discovery names no feed (a foreign provider): no fail-closed, tokens live until exp.</summary>
    public void NoFeed()
    {
        _feed = FeedSnapshot.Empty;
        _feedPublished = 2;
    }

    /// <summary>Replaces the terminated identities after a successful read of the control store.</summary>
    public void UpdateIdentities(IReadOnlyDictionary<string, DateTimeOffset> identities) => _identities = identities;

    // A token without iat cannot show it came later, so it is refused.
    private static bool Terminated(IReadOnlyDictionary<string, DateTimeOffset> identities, string identity, TokenIdentifiers? token)
    {
        if (!identities.TryGetValue(identity, out var revokedAt))
        {
            return false;
        }

        var revokedSecond = new DateTimeOffset(revokedAt.UtcTicks - (revokedAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return token?.IssuedAt is not { } issued || issued < revokedSecond + IssuedAtResolution;
    }

    private sealed record FeedSnapshot(IReadOnlySet<string> TokenIds, IReadOnlySet<string> AuthorizationIds, IReadOnlySet<string> DisabledSubjects)
    {
        public static FeedSnapshot Empty { get; } = new(new HashSet<string>(), new HashSet<string>(), new HashSet<string>());
    }
}
