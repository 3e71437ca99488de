// Usage: Prism.ControlStore.CrashWriter (sqlite <file> | postgres <url-or-connection-string>) <name-prefix>
// Creates namespaces <prefix>-000000, <prefix>-000001, ... each with its CreateNamespace audit entry,
// and prints each name on stdout only after CreateNamespaceAsync returned (the commit is durable).
// The crash-safety test kills this process with SIGKILL and checks what survived.
using Microsoft.Extensions.Logging.Abstractions;
using Prism.ControlStore;

if (args.Length != 3 || args[0] is not ("sqlite" or "postgres"))
{
    await Console.Error.WriteLineAsync("usage: Prism.ControlStore.CrashWriter (sqlite <file> | postgres <connection>) <name-prefix>");
    return 2;
}

await using var database = args[0] == "sqlite" ? ControlDatabase.Sqlite(args[1]) : ControlDatabase.Postgres(args[1]);
var store = new ControlStore(database, NullLogger<ControlStore>.Instance);
await store.MigrateAsync(CancellationToken.None);
var prefix = args[2];
for (var i = 0; ; i++)
{
    var name = $"{prefix}-{i:D6}";
    var now = DateTimeOffset.UtcNow;
    var record = new NamespaceRecord(
        name, "crash test", ["keyvalue"], NamespaceRecord.PrimarySlots(new Dictionary<string, string> { ["keyvalue"] = "memstore" }), ["prism:admin"],
        NamespaceQuotas.Defaults, new Dictionary<string, string>(), 1, "crash-writer", now, "crash-writer", now);
    var audit = new AuditRecord(
        Guid.NewGuid(), now, "crash-writer", ["prism:admin"], "CreateNamespace", "namespace", name, name,
        $"req-{i}", true, null, "OK", new Dictionary<string, string>());
    await store.CreateNamespaceAsync(record, audit, CancellationToken.None);
    Console.Out.WriteLine(name);
}
