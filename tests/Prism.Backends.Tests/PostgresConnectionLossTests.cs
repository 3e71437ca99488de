using Prism.Backends.Drivers.Postgres;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests;

/// <summary>
/// PostgreSQL drops every connection (as on a server restart): pooled connections are replaced, live
/// subscriptions listen again and receive what was published meanwhile, and a server that stays away
/// past the reconnect window ends them with BackendUnavailableException naming postgres.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresConnectionLossTests(PostgresFixture postgres)
{
    [Fact]
    public async Task DroppedConnections_SubscriptionsContinue_WithWhatWasPublishedMeanwhile_AndKeyValueRecovers()
    {
        var database = await postgres.Server.CreateDatabaseAsync().WaitAsync(Timeouts.Await);
        await using var backends = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, postgres.Server.Url(database))));
        var store = backends.Registry.KeyValue("postgres")!;
        var pubSub = backends.Registry.PubSub("postgres")!;
        await store.SetAsync("ns", "k", "1"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);
        await using var reading = new Reading(await pubSub.SubscribeAsync("ns", "t", "s", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));
        await pubSub.PublishAsync("ns", "t", "before"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);
        Assert.Equal("before"u8.ToArray(), (await reading.NextAsync()).Payload.ToArray());

        // A message whose notification never reaches the listener, as when it is published while the
        // listener is disconnected: only the catch-up after reconnecting can deliver it.
        await InsertWithoutNotifyAsync(postgres.Server.ConnectionString(database), "ns", "t", "meanwhile");
        await TerminateEveryConnectionAsync(database);

        Assert.Equal("meanwhile"u8.ToArray(), (await reading.NextAsync()).Payload.ToArray());
        await Timeouts.EventuallySucceedsAsync(() => pubSub.PublishAsync("ns", "t", "after"u8.ToArray(), null, null, default), "publishing works again");
        Assert.Equal("after"u8.ToArray(), (await reading.NextAsync()).Payload.ToArray());
        await Timeouts.EventuallySucceedsAsync(() => store.GetAsync("ns", "k", default), "key-value works again");
        Assert.Equal("1"u8.ToArray(), (await store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
    }

    [Fact]
    public async Task AServerThatStaysAway_EndsSubscriptionsAfterTheReconnectWindow_NamingPostgres()
    {
        var database = await postgres.Server.CreateDatabaseAsync().WaitAsync(Timeouts.Await);
        var connectionString = postgres.Server.ConnectionString(database);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var pubSub = new PostgresPubSub(dataSource, time, BackendDriverOptions.Default with { ListenerReconnectWindow = TimeSpan.FromSeconds(5) });
        await using var reading = new Reading(await pubSub.SubscribeAsync("ns", "t", "s", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));

        await SetAllowConnectionsAsync(database, false);
        try
        {
            await TerminateEveryConnectionAsync(database);
            var next = Record.ExceptionAsync(reading.NextAsync);
            // Each failed attempt waits on the fake clock: move it on until the window has passed.
            await Timeouts.EventuallyAsync(() =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return Task.FromResult(next.IsCompleted);
            }, "the subscription ends");
            var lost = Assert.IsType<BackendUnavailableException>(await next);
            Assert.Equal("postgres", lost.BackendName);
            Assert.Equal(BackendFailureCodes.ConnectionLost, lost.Code);
            Assert.Contains("notification connection lost", lost.Detail, StringComparison.Ordinal);
        }
        finally
        {
            await SetAllowConnectionsAsync(database, true);
        }
    }

    private async Task SetAllowConnectionsAsync(string database, bool allow)
    {
        await using var admin = new NpgsqlConnection(postgres.Server.ConnectionString("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allow ? "true" : "false")}", admin);
        await alter.ExecuteNonQueryAsync();
    }

    private static async Task InsertWithoutNotifyAsync(string connectionString, string @namespace, string topic, string payload)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO prism_pubsub_messages (namespace, topic, payload, metadata, published_at) VALUES (@ns, @topic, @payload, '{}', 0)", connection);
        insert.Parameters.AddWithValue("ns", @namespace);
        insert.Parameters.AddWithValue("topic", topic);
        insert.Parameters.AddWithValue("payload", System.Text.Encoding.UTF8.GetBytes(payload));
        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>Terminates every connection to <paramref name="database"/>, from a connection to another one.</summary>
    private async Task TerminateEveryConnectionAsync(string database)
    {
        await using var admin = new NpgsqlConnection(postgres.Server.ConnectionString("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database", admin);
        terminate.Parameters.AddWithValue("database", database);
        Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1);
    }
}
