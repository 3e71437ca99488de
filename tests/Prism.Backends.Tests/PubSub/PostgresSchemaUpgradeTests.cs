using System.Text;
using Npgsql;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.PubSub;

/// <summary>
/// A message table from before message context is upgraded in place: its rows, and rows an older
/// proxy still writes, are delivered with empty context; a row Prism did not write is delivered too.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresSchemaUpgradeTests(PostgresFixture postgres)
{
    private const string OldSchema = """
        CREATE TABLE prism_pubsub_messages (
            id           bigserial PRIMARY KEY,
            namespace    text      NOT NULL,
            topic        text      NOT NULL,
            payload      bytea     NOT NULL,
            metadata     text      NOT NULL,
            published_at bigint    NOT NULL
        );
        CREATE INDEX prism_pubsub_messages_published_at ON prism_pubsub_messages (published_at);
        """;

    // What a proxy of the previous version runs to publish.
    private const string OldPublish = """
        WITH m AS (
            INSERT INTO prism_pubsub_messages (namespace, topic, payload, metadata, published_at)
            VALUES (@ns, @topic, @payload, @metadata, @at) RETURNING id)
        SELECT id, pg_notify('prism_pubsub', id::text) FROM m
        """;

    [Fact]
    public async Task TableFromBeforeContext_IsUpgraded_AndOldRowsAreDeliveredWithEmptyContext()
    {
        var connectionString = postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync().WaitAsync(Timeouts.Await));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(dataSource, OldSchema);
        var oldRow = await OldPublishAsync(dataSource, "before the upgrade", """{"kind":"old"}""");
        await using var pubSub = new PostgresPubSub(dataSource, TimeProvider.System, BackendDriverOptions.Default);

        await using var reading = new Reading(await pubSub.SubscribeAsync("ns", "t", "s1", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));
        await ExecuteAsync(dataSource, $"SELECT pg_notify('prism_pubsub', '{oldRow}')");
        await OldPublishAsync(dataSource, "from an older proxy", """{"kind":"older proxy"}""");
        await pubSub.PublishAsync("ns", "t", "from this version"u8.ToArray(), null, new MessageContext("alice", SessionId: "ses-1"), default).WaitAsync(Timeouts.Await);

        var old = await reading.NextAsync();
        Assert.Equal(("before the upgrade", "old"), (Text(old), old.Metadata["kind"]));
        Assert.True(old.Context.IsEmpty);
        var older = await reading.NextAsync();
        Assert.Equal(("from an older proxy", "older proxy"), (Text(older), older.Metadata["kind"]));
        Assert.True(older.Context.IsEmpty);
        var current = await reading.NextAsync();
        Assert.Equal(new MessageContext("alice", SessionId: "ses-1"), current.Context);
    }

    [Fact]
    public async Task RowWithMetadataPrismDidNotWrite_IsDeliveredWithoutMetadata_AndTheStreamGoesOn()
    {
        var connectionString = postgres.Server.ConnectionString(await postgres.Server.CreateDatabaseAsync().WaitAsync(Timeouts.Await));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var pubSub = new PostgresPubSub(dataSource, TimeProvider.System, BackendDriverOptions.Default);
        await using var reading = new Reading(await pubSub.SubscribeAsync("ns", "t", "s1", SubscribeOptions.Default, default).WaitAsync(Timeouts.Await));

        await OldPublishAsync(dataSource, "hand-written row", "not json at all");
        await pubSub.PublishAsync("ns", "t", "next"u8.ToArray(), null, null, default).WaitAsync(Timeouts.Await);

        var foreign = await reading.NextAsync();
        Assert.Equal("hand-written row", Text(foreign));
        Assert.Empty(foreign.Metadata);
        Assert.True(foreign.Context.IsEmpty);
        Assert.Equal("next", Text(await reading.NextAsync()));
    }

    private static async Task<long> OldPublishAsync(NpgsqlDataSource dataSource, string text, string metadata)
    {
        await using var command = dataSource.CreateCommand(OldPublish);
        command.Parameters.AddWithValue("ns", "ns");
        command.Parameters.AddWithValue("topic", "t");
        command.Parameters.AddWithValue("payload", Encoding.UTF8.GetBytes(text));
        command.Parameters.AddWithValue("metadata", metadata);
        command.Parameters.AddWithValue("at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return (long)(await command.ExecuteScalarAsync().WaitAsync(Timeouts.Await))!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync().WaitAsync(Timeouts.Await);
    }

    private static string Text(PubSubMessage message) => Encoding.UTF8.GetString(message.Payload.Span);
}
