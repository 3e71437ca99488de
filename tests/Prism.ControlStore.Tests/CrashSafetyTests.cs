using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.ControlStore.Tests;

/// <summary>
/// SIGKILL in the middle of a stream of CreateNamespace calls (run by Prism.ControlStore.CrashWriter in its
/// own process) loses no committed namespace and leaves no namespace without its audit entry.
/// </summary>
public abstract partial class CrashSafetyTests
{
    private const int CommitsBeforeKill = 30;

    /// <summary>Provider name for the writer's command line, its database argument, and a way to open the same database here.</summary>
    protected abstract Task<(string Provider, string Target, Func<ControlDatabase> Open)> CreateDatabaseAsync();

    [Fact]
    public async Task KillDuringCreates_KeepsEveryCommittedNamespace_EachWithItsAuditEntry()
    {
        var (provider, target, open) = await CreateDatabaseAsync().Timed();

        var printed = new List<string>();
        printed.AddRange(await RunAndKillAsync(provider, target, "first"));
        printed.AddRange(await RunAndKillAsync(provider, target, "second"));

        await using var database = open();
        var store = new ControlStore(database, NullLogger<ControlStore>.Instance);
        await store.MigrateAsync(CancellationToken.None).Timed();
        var stored = await AllNamespacesAsync(store);
        var audited = await AllCreateEntriesAsync(store);

        Assert.Empty(printed.Except(stored));
        Assert.Equal(stored.Order(StringComparer.Ordinal), audited.Order(StringComparer.Ordinal));
        Assert.InRange(stored.Count, printed.Count, printed.Count + 2);
    }

    private static async Task<List<string>> RunAndKillAsync(string provider, string target, string prefix)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Prism.ControlStore.CrashWriter.dll"), provider, target, prefix })
        {
            start.ArgumentList.Add(argument);
        }

        using var writer = Process.Start(start)!;
        var errors = writer.StandardError.ReadToEndAsync();
        var printed = new List<string>();
        try
        {
            while (printed.Count < CommitsBeforeKill)
            {
                var line = await writer.StandardOutput.ReadLineAsync().Timed()
                    ?? throw new InvalidOperationException($"the crash writer ended early: {await errors.Timed()}");
                printed.Add(line);
            }
        }
        finally
        {
            writer.Kill(); // SIGKILL, by the pid we started.
        }

        await writer.WaitForExitAsync().Timed();
        // Names already in the pipe were printed after their commit too; a torn last line is not a name.
        while (await writer.StandardOutput.ReadLineAsync().Timed() is { } line)
        {
            printed.Add(line);
        }

        return printed.Where(name => NamePattern().IsMatch(name)).ToList();
    }

    private static async Task<List<string>> AllNamespacesAsync(ControlStore store)
    {
        var names = new List<string>();
        string? after = null;
        do
        {
            var page = await store.ListNamespacesAsync(new PageRequest(ControlStore.MaxPageSize, after), CancellationToken.None).Timed();
            names.AddRange(page.Items.Select(n => n.Name));
            after = page.LastKey;
        }
        while (after is not null);
        return names;
    }

    private static async Task<List<string>> AllCreateEntriesAsync(ControlStore store)
    {
        var names = new List<string>();
        var after = 0L;
        while (true)
        {
            var batch = await store.QueryAuditAsync(
                new AuditQuery(Operation: "CreateNamespace", AfterSequence: after, Limit: ControlStore.MaxAuditLimit), CancellationToken.None).Timed();
            if (batch.Count == 0)
            {
                return names;
            }

            names.AddRange(batch.Select(a => a.ResourceId));
            after = batch[^1].Sequence;
        }
    }

    [GeneratedRegex(@"^(first|second)-\d{6}$")]
    private static partial Regex NamePattern();
}

/// <summary>Crash safety on a SQLite file.</summary>
public sealed class SqliteCrashSafetyTests : CrashSafetyTests, IDisposable
{
    private readonly TempDirectory _folder = new("prism-admin-crash");

    protected override Task<(string Provider, string Target, Func<ControlDatabase> Open)> CreateDatabaseAsync()
    {
        var path = Path.Combine(_folder.Path, "admin.db");
        return Task.FromResult<(string, string, Func<ControlDatabase>)>(("sqlite", path, () => ControlDatabase.Sqlite(path)));
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>Crash safety on PostgreSQL.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresCrashSafetyTests(PostgresFixture postgres) : CrashSafetyTests
{
    protected override async Task<(string Provider, string Target, Func<ControlDatabase> Open)> CreateDatabaseAsync()
    {
        var connection = await postgres.CreateDatabaseAsync().Timed();
        return ("postgres", connection, () => ControlDatabase.Postgres(connection));
    }
}
