using Prism.Backends.Credentials;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// Where the postgres drivers keep their tables and which NOTIFY channel they use. Static
/// instances share the tables of the connection's search path and create them on first use; a
/// session with dynamic credentials finds its namespace's tables already made (by
/// <see cref="PostgresRoleCredentials"/>) in the namespace's own schema, and may not create any.
/// </summary>
/// <param name="Channel">NOTIFY channel of the pub/sub driver.</param>
/// <param name="CreatesSchema">True when the drivers create their tables on first use.</param>
public sealed record PostgresScope(string Channel, bool CreatesSchema)
{
    /// <summary>The tables on the connection's search path, created on first use.</summary>
    public static PostgresScope Shared { get; } = new(PostgresPubSubSql.Channel, CreatesSchema: true);

    /// <summary>The schema and group role of a namespace's data under dynamic credentials.</summary>
    public static string SchemaOf(string @namespace) => CredentialNames.Bounded("prism_ns_", @namespace, 63);

    /// <summary>The scope of one namespace's schema.</summary>
    public static PostgresScope Namespace(string @namespace) =>
        new(CredentialNames.Bounded("prism_pubsub_", @namespace, 63), CreatesSchema: false);
}
