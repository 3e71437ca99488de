using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenIddict.Abstractions;
using Prism.Identity.Configuration;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Prism.Identity.Storage;

/// <summary>
/// Mirrors the Dex <c>staticClients</c> into OpenIddict's application store. A fingerprint of each
/// client's configuration is stored with it, so an unchanged client costs no secret hashing at start.
/// </summary>
/// <remarks>
/// Dex has no per-client grant list; Prism derives one: public clients get password, device code,
/// refresh token and (with redirect URIs) authorization code; confidential clients with redirect
/// URIs get authorization code, refresh token and password; confidential clients without redirect
/// URIs are machine clients and get client_credentials only.
/// </remarks>
internal sealed class ClientRegistrar(IOpenIddictApplicationManager applications, DexConfig config)
{
    private const string FingerprintProperty = "prism_fingerprint";

    // Bump when Describe changes, so stored registrations are rewritten with the new permissions.
    private const string FingerprintVersion = "1";

    public async Task<int> SynchronizeAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var client in config.Clients)
        {
            var descriptor = Describe(client);
            var fingerprint = Fingerprint(client);
            descriptor.Properties[FingerprintProperty] = JsonSerializer.SerializeToElement(fingerprint);
            var existing = await applications.FindByClientIdAsync(client.Id, cancellationToken);
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
                changed++;
            }
            else if (!(await applications.GetPropertiesAsync(existing, cancellationToken)).TryGetValue(FingerprintProperty, out var stored) ||
                     stored.ValueKind != JsonValueKind.String || stored.GetString() != fingerprint)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
                changed++;
            }
        }

        var known = config.Clients.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var stale = new List<object>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (!known.Contains(await applications.GetClientIdAsync(application, cancellationToken) ?? ""))
            {
                stale.Add(application);
            }
        }

        foreach (var application in stale)
        {
            await applications.DeleteAsync(application, cancellationToken);
            changed++;
        }

        return changed;
    }

    internal static OpenIddictApplicationDescriptor Describe(DexClient client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.Id,
            ClientSecret = client.Public ? null : client.Secret,
            ClientType = client.Public ? ClientTypes.Public : ClientTypes.Confidential,
            DisplayName = client.Name,
            ConsentType = ConsentTypes.Implicit,
        };

        foreach (var uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri));
        }

        var machine = !client.Public && client.RedirectUris.Count == 0;
        var interactive = client.RedirectUris.Count > 0;
        descriptor.Permissions.UnionWith([
            Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
            Permissions.Scopes.Email, Permissions.Scopes.Profile, Permissions.Scopes.Roles,
            Permissions.Prefixes.Scope + "groups", Permissions.Prefixes.Scope + Scopes.OfflineAccess,
        ]);

        if (!client.Public)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }

        if (machine)
        {
            descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
            return descriptor;
        }

        descriptor.Permissions.UnionWith([Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken]);
        if (interactive)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }

        if (client.Public)
        {
            descriptor.Permissions.UnionWith([Permissions.Endpoints.DeviceAuthorization, Permissions.GrantTypes.DeviceCode]);
        }

        return descriptor;
    }

    private static string Fingerprint(DexClient client)
    {
        var text = string.Join('\n', [FingerprintVersion, client.Id, client.Secret ?? "", client.Name, client.Public ? "public" : "confidential", .. client.RedirectUris]);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
