using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Prism.Security;
using Prism.Security.Tokens;

namespace Prism.Proxy.Routing;

/// <summary>An authenticated caller and the fingerprint of its token (the session key; the token itself is never kept).</summary>
public readonly record struct AuthenticatedCaller(PrismPrincipal Principal, string TokenFingerprint);

/// <summary>Turns the <c>authorization</c> metadata into a principal, or refuses with UNAUTHENTICATED.</summary>
public sealed class CallAuthenticator(ITokenValidator tokens, IConfiguration configuration)
{
    private const string Bearer = "Bearer ";
    private readonly bool _authDisabled = SecurityPosture.IsAuthDisabled(configuration);

    /// <summary>Validates the bearer token; with authentication disabled a call without one is the local developer.</summary>
    /// <exception cref="DataPlaneException">UNAUTHENTICATED with the reason.</exception>
    public async ValueTask<AuthenticatedCaller> AuthenticateAsync(string? authorization, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return _authDisabled
                ? new AuthenticatedCaller(LocalDeveloper.Principal, "local-developer")
                : throw new DataPlaneException(DataPlaneFailure.Unauthenticated, "missing authorization metadata: send 'authorization: Bearer <token>'");
        }

        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            throw new DataPlaneException(DataPlaneFailure.Unauthenticated, "authorization metadata must be 'Bearer <token>'");
        }

        var token = authorization.AsSpan(Bearer.Length).Trim().ToString();
        try
        {
            var principal = await tokens.ValidateAsync(token, cancellation);
            return new AuthenticatedCaller(principal, Fingerprint(token));
        }
        catch (TokenRejectedException e)
        {
            throw new DataPlaneException(DataPlaneFailure.Unauthenticated, e.Message, e);
        }
    }

    private static string Fingerprint(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        return Convert.ToBase64String(hash[..18]);
    }
}
