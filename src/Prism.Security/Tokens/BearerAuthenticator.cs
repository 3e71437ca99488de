using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Prism.Security.Configuration;

namespace Prism.Security.Tokens;

/// <summary>An authenticated caller and the fingerprint of its token (a session key; the token itself is never kept).</summary>
public readonly record struct AuthenticatedCaller(PrismPrincipal Principal, string TokenFingerprint);

/// <summary>
/// Turns an <c>authorization</c> header into a principal, the same way for every Prism API.
/// With PRISM_AUTH_DISABLED a call without a header is the local developer.
/// </summary>
public sealed class BearerAuthenticator(ITokenValidator tokens, IOptions<SecurityOptions> options)
{
    private const string Bearer = "Bearer ";
    private readonly bool _authDisabled = options.Value.AuthDisabled;

    /// <summary>Validates the bearer token of <paramref name="authorization"/>.</summary>
    /// <exception cref="TokenRejectedException">No header, not a bearer token, or a token the validator rejects; the message says which.</exception>
    public async ValueTask<AuthenticatedCaller> AuthenticateAsync(string? authorization, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return _authDisabled
                ? new AuthenticatedCaller(LocalDeveloper.Principal, "local-developer")
                : throw new TokenRejectedException(TokenRejections.Missing, "missing authorization metadata: send 'authorization: Bearer <token>'");
        }

        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            throw new TokenRejectedException(TokenRejections.Malformed, "authorization metadata must be 'Bearer <token>'");
        }

        var token = authorization.AsSpan(Bearer.Length).Trim().ToString();
        var principal = await tokens.ValidateAsync(token, cancellation);
        return new AuthenticatedCaller(principal, Fingerprint(token));
    }

    private static string Fingerprint(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToBase64String(hash[..18]);
    }
}
