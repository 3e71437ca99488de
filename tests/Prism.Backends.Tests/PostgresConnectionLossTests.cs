using Npgsql;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests;

/// <summary>
/// PostgreSQL drops every connection (as on a server restart): pooled connections are replaced,
/// live subscriptions end with BackendUnavailableException naming postgres, and subscribing again works.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresConnectionLossTests(PostgresFixture postgres)
{
    [Fact]
    public async Task DroppedConnections_EndSubscriptions_AndTheDriversRecover()
    {
        var url = await postgres.Server.CreateDatabaseAsync().WaitAsync(Timeouts.Await);
        await using var backends = new TestBackends(TestBackends.Settings((BackendSettings.PostgresUrl, postgres.Server.Url(url))));
        var store = backends.Registry.KeyValue("postgres")!;
        var pubSub = backends.Registry.PubSub("postgres")!;
        await store.SetAsync("ns", "k", "1"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await using var reading = new Reading(await pubSub.SubscribeAsync("ns", "t", "s", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));

        await TerminateEveryConnectionAsync(postgres.Server.ConnectionString(url));

        var lost = await Assert.ThrowsAsync<BackendUnavailableException>(() => reading.NextAsync());
        Assert.Equal("postgres", lost.BackendName);
        await Timeouts.EventuallySucceedsAsync(() => store.GetAsync("ns", "k", default), "key-value works again");
        Assert.Equal("1"u8.ToArray(), (await store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());

        await using var again = new Reading(await pubSub.SubscribeAsync("ns", "t", "s", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));
        await pubSub.PublishAsync("ns", "t", "after"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        Assert.Equal("after"u8.ToArray(), (await again.NextAsync()).Payload.ToArray());
    }

    private static async Task TerminateEveryConnectionAsync(string connectionString)
    {
        await using var admin = new NpgsqlConnection(connectionString + ";Pooling=false");
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
        Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1);
    }
}
