using Prism.ControlStore.Schema;

namespace Prism.ControlStore.Postgres;

/// <summary>
/// Schema of the PostgreSQL store. Names and ids use the "C" collation so keyset pages order
/// bytewise, exactly as on SQLite. Released migrations are never edited: add a new version instead.
/// </summary>
internal static class PostgresMigrations
{
    public const string CreateMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version bigint NOT NULL PRIMARY KEY,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())
        """;

    public const string MigrationsTableExists =
        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'";

    public const string RecordMigration = "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)";

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "initial admin schema", """
            CREATE TABLE namespaces (
                name text COLLATE "C" NOT NULL PRIMARY KEY,
                description text NOT NULL,
                patterns jsonb NOT NULL,
                backends jsonb NOT NULL,
                access_groups jsonb NOT NULL,
                max_keys bigint NOT NULL,
                max_value_bytes bigint NOT NULL,
                max_requests_per_second integer NOT NULL,
                labels jsonb NOT NULL,
                version bigint NOT NULL,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                updated_at timestamptz NOT NULL);

            CREATE TABLE configs (
                name text COLLATE "C" NOT NULL PRIMARY KEY,
                description text NOT NULL,
                format text NOT NULL,
                content text NOT NULL,
                labels jsonb NOT NULL,
                version bigint NOT NULL,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                updated_at timestamptz NOT NULL);

            CREATE TABLE sessions (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                "identity" text NOT NULL,
                client_id text NULL,
                namespace text NOT NULL,
                proxy_id text NOT NULL,
                status integer NOT NULL,
                started_at timestamptz NOT NULL,
                last_activity timestamptz NOT NULL,
                requests bigint NOT NULL,
                bytes_in bigint NOT NULL,
                bytes_out bigint NOT NULL,
                terminated_by text NULL,
                termination_reason text NULL);
            CREATE INDEX ix_sessions_namespace ON sessions (namespace, id);
            CREATE INDEX ix_sessions_status ON sessions (status, id);

            CREATE TABLE admin_audit_log (
                sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id uuid NOT NULL UNIQUE,
                "timestamp" timestamptz NOT NULL,
                actor text NOT NULL,
                actor_groups jsonb NOT NULL,
                operation text NOT NULL,
                resource_type text NOT NULL,
                resource_id text NOT NULL,
                namespace text NULL,
                request_id text NULL,
                success boolean NOT NULL,
                error text NULL,
                status_code text NOT NULL,
                metadata jsonb NOT NULL);
            CREATE INDEX ix_audit_timestamp ON admin_audit_log ("timestamp");
            CREATE INDEX ix_audit_actor ON admin_audit_log (actor, sequence);
            CREATE INDEX ix_audit_operation ON admin_audit_log (operation, sequence);
            CREATE INDEX ix_audit_namespace ON admin_audit_log (namespace, sequence);

            CREATE TABLE control_state (
                id integer NOT NULL PRIMARY KEY CHECK (id = 1),
                maintenance_enabled boolean NOT NULL,
                maintenance_message text NOT NULL,
                maintenance_set_by text NULL,
                maintenance_set_at timestamptz NULL,
                draining boolean NOT NULL,
                drain_message text NOT NULL,
                drain_deadline timestamptz NULL,
                drain_set_by text NULL);
            INSERT INTO control_state VALUES (1, false, '', NULL, NULL, false, '', NULL, NULL);
            """),
        new(2, "backend instances", """
            CREATE TABLE backends (
                name text COLLATE "C" NOT NULL PRIMARY KEY,
                type text NOT NULL,
                description text NOT NULL,
                settings jsonb NOT NULL,
                secrets jsonb NOT NULL,
                labels jsonb NOT NULL,
                version bigint NOT NULL,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_by text NOT NULL,
                updated_at timestamptz NOT NULL);
            """),
        new(3, "credential leases", """
            CREATE TABLE credential_leases (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                session_id text NOT NULL,
                backend text NOT NULL,
                namespace text NOT NULL,
                principal text NOT NULL,
                holder text NOT NULL,
                proxy_id text NOT NULL,
                issued_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL);
            CREATE INDEX ix_leases_session ON credential_leases (session_id);
            CREATE INDEX ix_leases_holder ON credential_leases (holder);

            CREATE TABLE lease_holders (
                holder text COLLATE "C" NOT NULL PRIMARY KEY,
                proxy_id text NOT NULL,
                heartbeat_at timestamptz NOT NULL);
            """),
        new(4, "namespace queue settings", """
            ALTER TABLE namespaces ADD COLUMN queue_settings jsonb NOT NULL DEFAULT '{}';
            """),
        new(5, "audit caller address, session retention index", """
            ALTER TABLE admin_audit_log ADD COLUMN client_address text NULL;
            CREATE INDEX ix_sessions_last_activity ON sessions (last_activity);
            """),
        new(6, "revoked identities", """
            CREATE TABLE revoked_identities (
                "identity" text COLLATE "C" NOT NULL PRIMARY KEY,
                revoked_at timestamptz NOT NULL,
                revoked_by text NOT NULL,
                reason text NOT NULL);
            CREATE INDEX ix_sessions_identity_status ON sessions ("identity", status);
            """),
    ];
}
