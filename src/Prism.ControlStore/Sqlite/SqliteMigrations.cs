using Prism.ControlStore.Schema;

namespace Prism.ControlStore.Sqlite;

/// <summary>
/// Schema of the SQLite store. Timestamps are INTEGER microseconds since the Unix epoch (UTC),
/// lists and maps JSON text. Released migrations are never edited: add a new version instead.
/// </summary>
internal static class SqliteMigrations
{
    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL)
        """;

    public const string MigrationsTableExists =
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

    public const string RecordMigration =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "initial admin schema", """
            CREATE TABLE namespaces (
                name TEXT NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                patterns TEXT NOT NULL,
                backends TEXT NOT NULL,
                access_groups TEXT NOT NULL,
                max_keys INTEGER NOT NULL,
                max_value_bytes INTEGER NOT NULL,
                max_requests_per_second INTEGER NOT NULL,
                labels TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL);

            CREATE TABLE configs (
                name TEXT NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                format TEXT NOT NULL,
                content TEXT NOT NULL,
                labels TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL);

            CREATE TABLE sessions (
                id TEXT NOT NULL PRIMARY KEY,
                "identity" TEXT NOT NULL,
                client_id TEXT NULL,
                namespace TEXT NOT NULL,
                proxy_id TEXT NOT NULL,
                status INTEGER NOT NULL,
                started_at INTEGER NOT NULL,
                last_activity INTEGER NOT NULL,
                requests INTEGER NOT NULL,
                bytes_in INTEGER NOT NULL,
                bytes_out INTEGER NOT NULL,
                terminated_by TEXT NULL,
                termination_reason TEXT NULL);
            CREATE INDEX ix_sessions_namespace ON sessions (namespace, id);
            CREATE INDEX ix_sessions_status ON sessions (status, id);

            CREATE TABLE admin_audit_log (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE,
                "timestamp" INTEGER NOT NULL,
                actor TEXT NOT NULL,
                actor_groups TEXT NOT NULL,
                operation TEXT NOT NULL,
                resource_type TEXT NOT NULL,
                resource_id TEXT NOT NULL,
                namespace TEXT NULL,
                request_id TEXT NULL,
                success INTEGER NOT NULL,
                error TEXT NULL,
                status_code TEXT NOT NULL,
                metadata TEXT NOT NULL);
            CREATE INDEX ix_audit_timestamp ON admin_audit_log ("timestamp");
            CREATE INDEX ix_audit_actor ON admin_audit_log (actor, sequence);
            CREATE INDEX ix_audit_operation ON admin_audit_log (operation, sequence);
            CREATE INDEX ix_audit_namespace ON admin_audit_log (namespace, sequence);

            CREATE TABLE control_state (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                maintenance_enabled INTEGER NOT NULL,
                maintenance_message TEXT NOT NULL,
                maintenance_set_by TEXT NULL,
                maintenance_set_at INTEGER NULL,
                draining INTEGER NOT NULL,
                drain_message TEXT NOT NULL,
                drain_deadline INTEGER NULL,
                drain_set_by TEXT NULL);
            INSERT INTO control_state VALUES (1, 0, '', NULL, NULL, 0, '', NULL, NULL);
            """),
        new(2, "backend instances", """
            CREATE TABLE backends (
                name TEXT NOT NULL PRIMARY KEY,
                type TEXT NOT NULL,
                description TEXT NOT NULL,
                settings TEXT NOT NULL,
                secrets TEXT NOT NULL,
                labels TEXT NOT NULL,
                version INTEGER NOT NULL,
                created_by TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                updated_by TEXT NOT NULL,
                updated_at INTEGER NOT NULL);
            """),
        new(3, "credential leases", """
            CREATE TABLE credential_leases (
                id TEXT NOT NULL PRIMARY KEY,
                session_id TEXT NOT NULL,
                backend TEXT NOT NULL,
                namespace TEXT NOT NULL,
                principal TEXT NOT NULL,
                holder TEXT NOT NULL,
                proxy_id TEXT NOT NULL,
                issued_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL);
            CREATE INDEX ix_leases_session ON credential_leases (session_id);
            CREATE INDEX ix_leases_holder ON credential_leases (holder);

            CREATE TABLE lease_holders (
                holder TEXT NOT NULL PRIMARY KEY,
                proxy_id TEXT NOT NULL,
                heartbeat_at INTEGER NOT NULL);
            """),
        new(4, "namespace queue settings", """
            ALTER TABLE namespaces ADD COLUMN queue_settings TEXT NOT NULL DEFAULT '{}';
            """),
        new(5, "audit caller address, session retention index", """
            ALTER TABLE admin_audit_log ADD COLUMN client_address TEXT NULL;
            CREATE INDEX ix_sessions_last_activity ON sessions (last_activity);
            """),
        new(6, "revoked identities", """
            CREATE TABLE revoked_identities (
                "identity" TEXT NOT NULL PRIMARY KEY,
                revoked_at INTEGER NOT NULL,
                revoked_by TEXT NOT NULL,
                reason TEXT NOT NULL);
            CREATE INDEX ix_sessions_identity_status ON sessions ("identity", status);
            """),
    ];
}
