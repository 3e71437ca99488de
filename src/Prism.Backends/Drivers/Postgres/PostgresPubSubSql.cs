namespace Prism.Backends.Drivers.Postgres;

/// <summary>Statements of the postgres pub/sub driver: messages live in a table, NOTIFY carries only their id.</summary>
internal static class PostgresPubSubSql
{
    public const string Channel = "prism_pubsub";

    public const string Schema = """
        SELECT pg_advisory_xact_lock(hashtext('prism_pubsub_messages'));
        CREATE TABLE IF NOT EXISTS prism_pubsub_messages (
            id           bigserial PRIMARY KEY,
            namespace    text      NOT NULL,
            topic        text      NOT NULL,
            payload      bytea     NOT NULL,
            metadata     text      NOT NULL,
            published_at bigint    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS prism_pubsub_messages_published_at ON prism_pubsub_messages (published_at);
        """;

    public const string Publish = $"""
        WITH m AS (
            INSERT INTO prism_pubsub_messages (namespace, topic, payload, metadata, published_at)
            VALUES (@ns, @topic, @payload, @metadata, @at) RETURNING id)
        SELECT id, pg_notify('{Channel}', id::text) FROM m
        """;

    public const string Listen = $"LISTEN {Channel}";

    public const string HighestId = "SELECT coalesce(max(id), 0) FROM prism_pubsub_messages";

    public const string IdsAfter = "SELECT id FROM prism_pubsub_messages WHERE id > @after ORDER BY id LIMIT @limit";

    public const string Fetch = "SELECT id, namespace, topic, payload, metadata, published_at FROM prism_pubsub_messages WHERE id = ANY(@ids)";

    public const string Purge = "DELETE FROM prism_pubsub_messages WHERE published_at < @before";
}
