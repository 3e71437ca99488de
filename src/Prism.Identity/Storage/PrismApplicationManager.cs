using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Prism.Identity.Storage;

/// <summary>
/// OpenIddict's application manager with PBKDF2 secret verification remembered in
/// <see cref="VerifiedClientSecrets"/>; registration changes made through it forget every verification.
/// </summary>
internal sealed class PrismApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    VerifiedClientSecrets verified)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    protected override async ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(comparand) && verified.IsVerified(comparand, secret))
        {
            return true;
        }

        var valid = await base.ValidateClientSecretAsync(secret, comparand, cancellationToken);
        if (valid)
        {
            verified.Remember(comparand, secret);
        }

        return valid;
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        verified.Clear();
        await base.UpdateAsync(application, cancellationToken);
    }

    public override async ValueTask DeleteAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        verified.Clear();
        await base.DeleteAsync(application, cancellationToken);
    }
}
