using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Prism.Identity.Storage;

/// <summary>Creates the tables when missing and registers the static clients, before the listener opens.</summary>
internal sealed partial class IdentityStoreInitializer(IServiceScopeFactory scopes, IdentityDatabase database, ILogger<IdentityStoreInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<IdentityStoreContext>();
        await context.Database.EnsureCreatedAsync(cancellationToken);
        var changed = await scope.ServiceProvider.GetRequiredService<ClientRegistrar>().SynchronizeAsync(cancellationToken);
        LogReady(logger, database.Description, changed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 30, EventName = "StoreReady", Level = LogLevel.Information, Message = "identity store ready at {Database}; {ChangedClients} client registrations updated")]
    private static partial void LogReady(ILogger logger, string database, int changedClients);
}
