namespace Prism.Backends.Drivers.Postgres;

/// <summary>Statements of the postgres key-value driver. Expiry uses the database clock, shared by every proxy.</summary>
internal static class PostgresKeyValueSql
{
    public const string Schema = """
        SELECT pg_advisory_xact_lock(hashtext('prism_kv'));
        CREATE TABLE IF NOT EXISTS prism_kv (
            namespace  text        NOT NULL,
            key        text        NOT NULL,
            value      bytea       NOT NULL,
            expires_at timestamptz NULL,
            PRIMARY KEY (namespace, key)
        );
        CREATE INDEX IF NOT EXISTS prism_kv_expires_at ON prism_kv (expires_at) WHERE expires_at IS NOT NULL;
        """;

    private const string Match = "namespace = @ns AND key = @key";
    private const string Live = "(expires_at IS NULL OR expires_at > now())";

    public const string Set = """
        INSERT INTO prism_kv (namespace, key, value, expires_at) VALUES (@ns, @key, @value, NULL)
        ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = NULL
        """;

    public const string Get = $"SELECT value FROM prism_kv WHERE {Match} AND {Live}";

    public const string Delete = $"DELETE FROM prism_kv WHERE {Match} RETURNING {Live}";

    public const string Exists = $"SELECT 1 FROM prism_kv WHERE {Match} AND {Live}";

    public const string Expire = $"UPDATE prism_kv SET expires_at = now() + @ttl WHERE {Match} AND {Live}";

    public const string GetTtl = $"SELECT (extract(epoch FROM expires_at - now()) * 1000)::bigint FROM prism_kv WHERE {Match} AND {Live}";

    public const string Persist = $"UPDATE prism_kv SET expires_at = NULL WHERE {Match} AND expires_at > now()";

    public const string BatchGet = $"SELECT key, value FROM prism_kv WHERE namespace = @ns AND key = ANY(@keys) AND {Live}";

    public const string BatchDelete = "DELETE FROM prism_kv WHERE namespace = @ns AND key = ANY(@keys)";

    public const string Purge = "DELETE FROM prism_kv WHERE expires_at <= now()";
}
