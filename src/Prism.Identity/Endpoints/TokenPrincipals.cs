using System.Security.Claims;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Prism.Identity.Configuration;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity.Endpoints;

/// <summary>
/// Builds the claims OpenIddict turns into tokens. Access tokens always carry the profile (email,
/// email_verified, name, groups); ID tokens carry what the requested scopes ask for, as Dex does.
/// The audience of access tokens is the client id (Dex style) plus any configured audiences.
/// </summary>
public sealed class TokenPrincipals(IOptions<IdentityOptions> options)
{
    /// <summary>The <c>groups</c> claim and scope name.</summary>
    public const string Groups = "groups";

    /// <summary>A principal for <paramref name="user"/> signed in through <paramref name="clientId"/>.</summary>
    public ClaimsPrincipal ForUser(DexUser user, string clientId, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, user.UserId)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, true)
            .SetClaim(Claims.Name, user.Username)
            .SetClaim(Claims.PreferredUsername, user.Username)
            .SetClaims(Groups, [.. user.Groups]);
        return Finish(identity, clientId, scopes);
    }

    /// <summary>A principal for a client acting on its own behalf (client_credentials): sub is the client id.</summary>
    public ClaimsPrincipal ForClient(string clientId, string? displayName, IEnumerable<string> scopes)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, clientId)
            .SetClaim(Claims.Name, displayName ?? clientId)
            .SetClaims(Groups, [.. options.Value.ClientGroups.GetValueOrDefault(clientId) ?? []]);
        return Finish(identity, clientId, scopes);
    }

    private static ClaimsIdentity NewIdentity() =>
        new(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);

    private ClaimsPrincipal Finish(ClaimsIdentity identity, string clientId, IEnumerable<string> scopes)
    {
        identity.SetScopes(scopes);
        identity.SetResources([clientId, .. options.Value.Audiences]);
        identity.SetDestinations(Destinations);
        return new ClaimsPrincipal(identity);
    }

    private static IEnumerable<string> Destinations(Claim claim)
    {
        yield return OpenIddictConstants.Destinations.AccessToken;
        var identityToken = claim.Type switch
        {
            Claims.Email or Claims.EmailVerified => claim.Subject?.HasScope(Scopes.Email) ?? false,
            Claims.Name or Claims.PreferredUsername => claim.Subject?.HasScope(Scopes.Profile) ?? false,
            Groups => claim.Subject?.HasScope(Groups) ?? false,
            _ => false,
        };

        if (identityToken)
        {
            yield return OpenIddictConstants.Destinations.IdentityToken;
        }
    }
}
