namespace Prism.Security.Tokens;

/// <summary>Turns a bearer token into a <see cref="PrismPrincipal"/> or rejects it.</summary>
public interface ITokenValidator
{
    /// <summary>Validates <paramref name="token"/> (the JWT without the "Bearer " prefix).</summary>
    /// <exception cref="TokenRejectedException">The token is not acceptable; the message says why.</exception>
    ValueTask<PrismPrincipal> ValidateAsync(string token, CancellationToken cancellationToken);
}

/// <summary>A token was rejected. The message is safe to return to the caller (UNAUTHENTICATED) and never contains the token.</summary>
public sealed class TokenRejectedException : Exception
{
    /// <summary>Creates a rejection with a stable reason code and a human message.</summary>
    public TokenRejectedException(string code, string message, Exception? inner = null) : base(message, inner) => Code = code;

    /// <summary>Stable code such as <c>token_expired</c>, <c>bad_signature</c>, <c>wrong_issuer</c>.</summary>
    public string Code { get; }
}
