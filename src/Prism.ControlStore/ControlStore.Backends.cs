using Microsoft.EntityFrameworkCore;
using Prism.Backends.Instances;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private static readonly VersionedNoun<BackendRow, BackendRecord> Backends =
        new("backend", c => c.Backends, RowMapping.ToRow, RowMapping.ToRecord);

    /// <inheritdoc />
    public Task<BackendRecord?> GetBackendAsync(string name, CancellationToken cancellationToken) =>
        GetVersionedAsync(Backends, name, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<BackendRecord>> ListBackendsAsync(CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var rows = await context.Backends.AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return [.. rows.Select(RowMapping.ToRecord)];
    }

    /// <inheritdoc />
    public Task<BackendRecord> CreateBackendAsync(BackendRecord record, AuditRecord audit, CancellationToken cancellationToken) =>
        CreateVersionedAsync(Backends, record, audit, cancellationToken);

    /// <inheritdoc />
    public Task<BackendRecord> UpdateBackendAsync(BackendRecord record, AuditRecord audit, CancellationToken cancellationToken) =>
        UpdateVersionedAsync(Backends, record, audit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The check for binding namespaces runs in the delete's transaction.</remarks>
    public Task DeleteBackendAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken) =>
        DeleteVersionedAsync(Backends, name, expectedVersion, audit, cancellationToken, async context =>
        {
            await database.LockAuditOrderAsync(context, cancellationToken);
            var bound = await BindingNamespacesAsync(context, name, cancellationToken);
            if (bound.Count > 0)
            {
                throw new ResourceInUseException("backend", name, $"namespace slots bind it: {string.Join(", ", bound)}");
            }
        });

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> NamespacesBindingAsync(string backend, CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        return await BindingNamespacesAsync(context, backend, cancellationToken);
    }

    /// <inheritdoc />
    async Task<IReadOnlyList<BackendInstanceSpec>> IBackendInstanceSource.ListBackendInstancesAsync(CancellationToken cancellation) =>
        [.. (await ListBackendsAsync(cancellation)).Select(ToSpec)];

    /// <inheritdoc />
    async Task<BackendInstanceSpec?> IBackendInstanceSource.GetBackendInstanceAsync(string name, CancellationToken cancellation) =>
        await GetBackendAsync(name, cancellation) is { } record ? ToSpec(record) : null;

    private static BackendInstanceSpec ToSpec(BackendRecord record) =>
        new(record.Name, record.Type, record.Settings.Concat(record.Secrets).ToDictionary(StringComparer.Ordinal), BackendSource.Api);

    private static async Task<List<string>> BindingNamespacesAsync(ControlStoreContext context, string backend, CancellationToken cancellationToken)
    {
        var rows = await context.Namespaces.AsNoTracking().OrderBy(n => n.Name).Select(n => new { n.Name, n.Backends }).ToListAsync(cancellationToken);
        return [.. rows.Where(r => JsonColumns.ReadSlots(r.Backends).Values.Any(s => s.Values.Contains(backend))).Select(r => r.Name)];
    }
}
