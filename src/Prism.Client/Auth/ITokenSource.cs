namespace Prism.Client;

/// <summary>Where the bearer token of each call comes from.</summary>
public interface ITokenSource
{
    /// <summary>The token to send now.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken cancellation);

    /// <summary>
    /// The proxy answered UNAUTHENTICATED to the last token: forget it. Returns true when a fresh
    /// token may differ (so the call is worth one more attempt).
    /// </summary>
    bool Invalidate();
}
