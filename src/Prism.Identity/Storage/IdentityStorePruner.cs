using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;
using Prism.Identity.Configuration;

namespace Prism.Identity.Storage;

/// <summary>
/// Keeps the token store bounded: every <see cref="IdentityOptions.PruneInterval"/> deletes tokens that expired
/// more than <see cref="Margin"/> ago (whatever their status: an expired token is refused anyway, so the
/// revocation feed no longer needs it), then authorizations older than the margin left without any token.
/// </summary>
public sealed partial class IdentityStorePruner(
    IServiceScopeFactory scopes, IdentityStoreReadiness readiness, IOptions<IdentityOptions> options, TimeProvider time,
    ILogger<IdentityStorePruner> logger) : BackgroundService
{
    /// <summary>How long past expiry a token is kept (longer than any validator's clock skew).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(10);

    /// <summary>Deletes what has expired now; returns the number of tokens and authorizations deleted.</summary>
    public async Task<(int Tokens, int Authorizations)> PruneAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IdentityStoreContext>();
        var threshold = time.GetUtcNow().UtcDateTime - Margin;
        var tokens = await store.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.ExpirationDate != null && t.ExpirationDate < threshold)
            .ExecuteDeleteAsync(cancellationToken);
        var authorizations = await store.Set<OpenIddictEntityFrameworkCoreAuthorization>()
            .Where(a => (a.CreationDate == null || a.CreationDate < threshold) && !a.Tokens.Any())
            .ExecuteDeleteAsync(cancellationToken);
        if (tokens + authorizations > 0)
        {
            LogPruned(logger, tokens, authorizations);
        }

        return (tokens, authorizations);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.Ready.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.PruneInterval, time);
            do
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception) when (readiness.Ready.IsFaulted)
        {
            // The store never came up; the initializer has logged why.
        }
    }

    [LoggerMessage(EventId = 32, EventName = "StorePruned", Level = LogLevel.Information, Message = "identity store pruned: {Tokens} expired tokens, {Authorizations} authorizations without tokens")]
    private static partial void LogPruned(ILogger logger, int tokens, int authorizations);

    [LoggerMessage(EventId = 33, EventName = "StorePruneFailed", Level = LogLevel.Warning, Message = "pruning the identity store failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
