namespace Prism.ControlStore.Schema;

/// <summary>One versioned, hand-written schema change; recorded in <c>schema_migrations</c> once applied.</summary>
/// <param name="Version">Increasing number; never reused or edited once released.</param>
/// <param name="Name">Short description.</param>
/// <param name="Sql">Statements, run in one transaction with the bookkeeping row.</param>
internal sealed record SchemaMigration(int Version, string Name, string Sql);
