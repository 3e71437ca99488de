namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Statements of the postgres queue driver. A message is a row of <c>prism_queue_messages</c>; each group
/// has one row per message in <c>prism_queue_deliveries</c> until it acknowledges it, which members claim
/// with <c>FOR UPDATE SKIP LOCKED</c> and hide until <c>visible_at</c> (database clock). Enqueues take a
/// shared and group creation an exclusive advisory lock per queue, so a group created while messages are
/// enqueued gets every one of them exactly once.
/// </summary>
internal static class PostgresQueueSql
{
    public const string Schema = """
        SELECT pg_advisory_xact_lock(hashtext('prism_queue'));
        CREATE TABLE IF NOT EXISTS prism_queue_messages (
            id                  bigserial PRIMARY KEY,
            namespace           text      NOT NULL,
            queue               text      NOT NULL,
            payload             bytea     NOT NULL,
            metadata            text      NOT NULL,
            enqueued_at         bigint    NOT NULL,
            idempotency_key     text      NULL,
            publisher_subject   text,
            publisher_client_id text,
            session_id          text,
            context_namespace   text,
            traceparent         text,
            tracestate          text
        );
        CREATE UNIQUE INDEX IF NOT EXISTS prism_queue_messages_idempotency
            ON prism_queue_messages (namespace, queue, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS prism_queue_messages_queue ON prism_queue_messages (namespace, queue, id);
        CREATE INDEX IF NOT EXISTS prism_queue_messages_enqueued_at ON prism_queue_messages (enqueued_at);
        CREATE TABLE IF NOT EXISTS prism_queue_groups (
            namespace text NOT NULL,
            queue     text NOT NULL,
            grp       text NOT NULL,
            PRIMARY KEY (namespace, queue, grp)
        );
        CREATE TABLE IF NOT EXISTS prism_queue_deliveries (
            namespace  text        NOT NULL,
            queue      text        NOT NULL,
            grp        text        NOT NULL,
            message_id bigint      NOT NULL REFERENCES prism_queue_messages (id) ON DELETE CASCADE,
            attempts   integer     NOT NULL DEFAULT 0,
            visible_at timestamptz NOT NULL DEFAULT now(),
            consumer   text        NULL,
            PRIMARY KEY (namespace, queue, grp, message_id)
        );
        CREATE INDEX IF NOT EXISTS prism_queue_deliveries_message ON prism_queue_deliveries (message_id);
        CREATE TABLE IF NOT EXISTS prism_queue_dead_letters (
            id                  bigserial PRIMARY KEY,
            namespace           text      NOT NULL,
            queue               text      NOT NULL,
            grp                 text      NOT NULL,
            message_id          bigint    NOT NULL,
            payload             bytea     NOT NULL,
            metadata            text      NOT NULL,
            enqueued_at         bigint    NOT NULL,
            publisher_subject   text,
            publisher_client_id text,
            session_id          text,
            context_namespace   text,
            traceparent         text,
            tracestate          text,
            attempts            integer   NOT NULL,
            error               text      NOT NULL,
            dead_at             bigint    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS prism_queue_dead_letters_queue ON prism_queue_dead_letters (namespace, queue, id);
        """;

    private const string Context = "publisher_subject, publisher_client_id, session_id, context_namespace, traceparent, tracestate";

    private const string Delivery = "namespace = @ns AND queue = @queue AND grp = @grp";

    public const string LockShared = "SELECT pg_advisory_xact_lock_shared(@lock)";

    public const string LockExclusive = "SELECT pg_advisory_xact_lock(@lock)";

    /// <summary>Inserts the message and one delivery per group; no row when the idempotency key is taken.</summary>
    public const string Enqueue = $"""
        WITH m AS (
            INSERT INTO prism_queue_messages (namespace, queue, payload, metadata, enqueued_at, idempotency_key, {Context})
            VALUES (@ns, @queue, @payload, @metadata, @at, @key, @subject, @client_id, @session_id, @context_namespace, @traceparent, @tracestate)
            ON CONFLICT (namespace, queue, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING id),
        d AS (
            INSERT INTO prism_queue_deliveries (namespace, queue, grp, message_id)
            SELECT g.namespace, g.queue, g.grp, m.id FROM m, prism_queue_groups g WHERE g.namespace = @ns AND g.queue = @queue)
        SELECT id FROM m
        """;

    public const string ByIdempotencyKey = "SELECT id FROM prism_queue_messages WHERE namespace = @ns AND queue = @queue AND idempotency_key = @key";

    public const string GroupExists = $"SELECT 1 FROM prism_queue_groups WHERE {Delivery}";

    /// <summary>Creates the group with a delivery for every retained message (nothing when it exists).</summary>
    public const string CreateGroup = """
        WITH g AS (
            INSERT INTO prism_queue_groups (namespace, queue, grp) VALUES (@ns, @queue, @grp) ON CONFLICT DO NOTHING RETURNING grp)
        INSERT INTO prism_queue_deliveries (namespace, queue, grp, message_id)
        SELECT @ns, @queue, g.grp, m.id FROM g, prism_queue_messages m WHERE m.namespace = @ns AND m.queue = @queue
        """;

    /// <summary>
    /// Dead-letters the group's deliveries whose last attempt timed out, then claims up to @max visible ones
    /// for @consumer, oldest message first, and returns them with their messages.
    /// </summary>
    public const string Claim = $"""
        WITH overdue AS (
            SELECT message_id FROM prism_queue_deliveries
            WHERE {Delivery} AND visible_at <= now() AND attempts >= @max_deliveries
            FOR UPDATE SKIP LOCKED),
        gone AS (
            DELETE FROM prism_queue_deliveries d USING overdue o
            WHERE d.namespace = @ns AND d.queue = @queue AND d.grp = @grp AND d.message_id = o.message_id
            RETURNING d.message_id, d.attempts),
        dead AS (
            INSERT INTO prism_queue_dead_letters (namespace, queue, grp, message_id, payload, metadata, enqueued_at, {Context}, attempts, error, dead_at)
            SELECT m.namespace, m.queue, @grp, m.id, m.payload, m.metadata, m.enqueued_at, {Context}, gone.attempts, @timeout_error, @now
            FROM gone JOIN prism_queue_messages m ON m.id = gone.message_id),
        next AS (
            SELECT message_id FROM prism_queue_deliveries
            WHERE {Delivery} AND visible_at <= now() AND attempts < @max_deliveries
            ORDER BY message_id LIMIT @max
            FOR UPDATE SKIP LOCKED),
        claimed AS (
            UPDATE prism_queue_deliveries d SET attempts = d.attempts + 1, visible_at = now() + @visibility, consumer = @consumer
            FROM next WHERE d.namespace = @ns AND d.queue = @queue AND d.grp = @grp AND d.message_id = next.message_id
            RETURNING d.message_id, d.attempts)
        SELECT c.message_id, c.attempts, m.payload, m.metadata, m.enqueued_at, {Context}
        FROM claimed c JOIN prism_queue_messages m ON m.id = c.message_id
        ORDER BY c.message_id
        """;

    private const string Held = $"{Delivery} AND message_id = @id AND consumer = @consumer AND attempts = @attempt";

    public const string Ack = $"DELETE FROM prism_queue_deliveries WHERE {Delivery} AND message_id = @id";

    public const string Retry = $"UPDATE prism_queue_deliveries SET visible_at = now() + @delay WHERE {Held}";

    public const string MoveToDeadLetters = $"""
        WITH gone AS (DELETE FROM prism_queue_deliveries WHERE {Held} RETURNING message_id, attempts)
        INSERT INTO prism_queue_dead_letters (namespace, queue, grp, message_id, payload, metadata, enqueued_at, {Context}, attempts, error, dead_at)
        SELECT m.namespace, m.queue, @grp, m.id, m.payload, m.metadata, m.enqueued_at, {Context}, gone.attempts, @error, @now
        FROM gone JOIN prism_queue_messages m ON m.id = gone.message_id
        """;

    private const string DeadLetterColumns = $"id, grp, message_id, payload, metadata, enqueued_at, {Context}, attempts, error, dead_at";

    public const string ListDeadLetters = $"""
        SELECT {DeadLetterColumns} FROM prism_queue_dead_letters
        WHERE namespace = @ns AND queue = @queue AND id > @after ORDER BY id LIMIT @limit
        """;

    public const string GetDeadLetter = $"SELECT {DeadLetterColumns} FROM prism_queue_dead_letters WHERE namespace = @ns AND queue = @queue AND id = @id";

    /// <summary>Moves a dead letter back as a new message with one delivery per group.</summary>
    public const string Replay = $"""
        WITH dl AS (
            DELETE FROM prism_queue_dead_letters WHERE namespace = @ns AND queue = @queue AND id = @id
            RETURNING namespace, queue, payload, metadata, {Context}),
        m AS (
            INSERT INTO prism_queue_messages (namespace, queue, payload, metadata, enqueued_at, {Context})
            SELECT namespace, queue, payload, metadata, @at, {Context} FROM dl
            RETURNING id),
        d AS (
            INSERT INTO prism_queue_deliveries (namespace, queue, grp, message_id)
            SELECT g.namespace, g.queue, g.grp, m.id FROM m, prism_queue_groups g WHERE g.namespace = @ns AND g.queue = @queue)
        SELECT id FROM m
        """;

    public const string PurgeDeadLetters = "DELETE FROM prism_queue_dead_letters WHERE namespace = @ns AND queue = @queue";

    public const string PurgeExpired = "DELETE FROM prism_queue_messages WHERE enqueued_at < @before";
}
