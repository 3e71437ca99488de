using System.Runtime.CompilerServices;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Support;

/// <summary>One database per PostgreSQL fixture for the backend tests (they isolate by namespace, not by database).</summary>
public static class SharedDatabase
{
    private static readonly ConditionalWeakTable<PostgresFixture, Task<string>> Databases = [];

    /// <summary>The URL of the shared database of <paramref name="fixture"/>, created on first use.</summary>
    public static Task<string> UrlAsync(PostgresFixture fixture) =>
        Databases.GetValue(fixture, async f => f.Server.Url(await f.Server.CreateDatabaseAsync()));
}
