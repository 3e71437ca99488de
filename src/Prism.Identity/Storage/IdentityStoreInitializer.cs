using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Prism.Identity.Storage;

/// <summary>
/// Creates the tables when missing and registers the static clients. Runs in the background so the
/// listener opens at once (discovery and JWKS need no store); requests that do need the store wait
/// for <see cref="IdentityStoreReadiness"/>.
/// </summary>
internal sealed partial class IdentityStoreInitializer(
    IServiceScopeFactory scopes, IdentityDatabase database, IdentityStoreReadiness readiness, ILogger<IdentityStoreInitializer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(InitializeAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task InitializeAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<IdentityStoreContext>();
            await context.Database.EnsureCreatedAsync();
            if (!database.InMemory)
            {
                // Persistent in the file: one WAL sync per commit instead of the rollback journal's several.
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL");
            }

            var changed = await scope.ServiceProvider.GetRequiredService<ClientRegistrar>().SynchronizeAsync(CancellationToken.None);
            LogReady(logger, database.Description, changed);
            readiness.Succeed();
        }
        catch (Exception e)
        {
            LogFailed(logger, database.Description, e);
            readiness.Fail(e);
        }
    }

    [LoggerMessage(EventId = 30, EventName = "StoreReady", Level = LogLevel.Information, Message = "identity store ready at {Database}; {ChangedClients} client registrations updated")]
    private static partial void LogReady(ILogger logger, string database, int changedClients);

    [LoggerMessage(EventId = 31, EventName = "StoreFailed", Level = LogLevel.Error, Message = "identity store at {Database} could not be prepared")]
    private static partial void LogFailed(ILogger logger, string database, Exception exception);
}

/// <summary>Completes once the store is prepared (or failed to be).</summary>
public sealed class IdentityStoreReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the store is usable; faults when it cannot be prepared.</summary>
    public Task Ready => _ready.Task;

    internal void Succeed() => _ready.TrySetResult();

    internal void Fail(Exception exception) => _ready.TrySetException(exception);
}
