using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Prism.Identity.Storage;

/// <summary>
/// OpenIddict's application manager with PBKDF2 secret verification remembered in
/// <see cref="VerifiedClientSecrets"/> and client lookups served from <see cref="ApplicationSnapshots"/>;
/// registration changes made through it forget both.
/// </summary>
internal sealed class PrismApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    VerifiedClientSecrets verified,
    ApplicationSnapshots snapshots,
    IdentityStoreContext context)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        if (snapshots.Find(identifier) is { } copy)
        {
            // Tracked by this request's context as if loaded, so the token entry can refer to it without a query.
            var applications = context.Set<OpenIddictEntityFrameworkCoreApplication>();
            if (applications.Local.FindEntry(copy.Id!) is { } tracked)
            {
                return tracked.Entity;
            }

            applications.Attach(copy);
            return copy;
        }

        var application = await base.FindByClientIdAsync(identifier, cancellationToken);
        if (application is not null)
        {
            snapshots.Remember(application);
        }

        return application;
    }

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
        snapshots.Clear();
        await base.UpdateAsync(application, cancellationToken);
        snapshots.Clear();
    }

    public override async ValueTask DeleteAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        verified.Clear();
        snapshots.Clear();
        await base.DeleteAsync(application, cancellationToken);
        snapshots.Clear();
    }
}
