namespace Prism.Backends.Drivers.Sqlite;

/// <summary>Statements of the sqlite key-value driver. Expiry is in milliseconds since the Unix epoch.</summary>
internal static class SqliteKeyValueSql
{
    public const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS prism_kv (
            namespace  TEXT    NOT NULL,
            key        TEXT    NOT NULL,
            value      BLOB    NOT NULL,
            expires_at INTEGER NULL,
            PRIMARY KEY (namespace, key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS prism_kv_expires_at ON prism_kv (expires_at) WHERE expires_at IS NOT NULL;
        """;

    public const string Connection = "PRAGMA synchronous = NORMAL;";

    private const string Match = "namespace = $ns AND key = $key";
    private const string Live = "(expires_at IS NULL OR expires_at > $now)";

    public const string Set = """
        INSERT INTO prism_kv (namespace, key, value, expires_at) VALUES ($ns, $key, $value, NULL)
        ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = NULL
        """;

    public const string Get = $"SELECT value FROM prism_kv WHERE {Match} AND {Live}";

    public const string Delete = $"DELETE FROM prism_kv WHERE {Match} RETURNING {Live}";

    public const string Exists = $"SELECT 1 FROM prism_kv WHERE {Match} AND {Live}";

    public const string Expire = $"UPDATE prism_kv SET expires_at = $at WHERE {Match} AND {Live}";

    public const string GetTtl = $"SELECT expires_at FROM prism_kv WHERE {Match} AND {Live}";

    public const string Persist = $"UPDATE prism_kv SET expires_at = NULL WHERE {Match} AND expires_at IS NOT NULL AND expires_at > $now";

    public const string Purge = "DELETE FROM prism_kv WHERE expires_at IS NOT NULL AND expires_at <= $now";
}
