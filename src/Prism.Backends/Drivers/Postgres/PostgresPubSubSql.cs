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
        -- Message context, added after the first release: a table from before is upgraded in place;
        -- its rows, and rows an older proxy still writes, have NULLs (empty context). Checked first
        -- because ALTER TABLE locks the table even when there is nothing to add.
        DO $$
        BEGIN
            IF (SELECT count(*) FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'prism_pubsub_messages'
                  AND column_name IN ('publisher_subject', 'publisher_client_id', 'session_id',
                                      'context_namespace', 'traceparent', 'tracestate')) < 6 THEN
                ALTER TABLE prism_pubsub_messages
                    ADD COLUMN IF NOT EXISTS publisher_subject   text,
                    ADD COLUMN IF NOT EXISTS publisher_client_id text,
                    ADD COLUMN IF NOT EXISTS session_id          text,
                    ADD COLUMN IF NOT EXISTS context_namespace   text,
                    ADD COLUMN IF NOT EXISTS traceparent         text,
                    ADD COLUMN IF NOT EXISTS tracestate          text;
            END IF;
        END $$;
        """;

    public const string Publish = """
        WITH m AS (
            INSERT INTO prism_pubsub_messages (namespace, topic, payload, metadata, published_at,
                publisher_subject, publisher_client_id, session_id, context_namespace, traceparent, tracestate)
            VALUES (@ns, @topic, @payload, @metadata, @at, @subject, @client_id, @session_id, @context_namespace, @traceparent, @tracestate)
            RETURNING id)
        SELECT id, pg_notify(@channel, id::text) FROM m
        """;

    /// <summary>LISTEN on <paramref name="channel"/>, a name of this assembly (quoted as an identifier).</summary>
    public static string Listen(string channel) => $"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    public const string HighestId = "SELECT coalesce(max(id), 0) FROM prism_pubsub_messages";

    public const string IdsAfter = "SELECT id FROM prism_pubsub_messages WHERE id > @after ORDER BY id LIMIT @limit";

    public const string Fetch = """
        SELECT id, namespace, topic, payload, metadata, published_at,
               publisher_subject, publisher_client_id, session_id, context_namespace, traceparent, tracestate
        FROM prism_pubsub_messages WHERE id = ANY(@ids)
        """;

    public const string Purge = "DELETE FROM prism_pubsub_messages WHERE published_at < @before";
}
