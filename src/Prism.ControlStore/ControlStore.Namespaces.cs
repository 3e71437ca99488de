using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private static readonly VersionedNoun<NamespaceRow, NamespaceRecord> Namespaces =
        new("namespace", c => c.Namespaces, RowMapping.ToRow, RowMapping.ToRecord);

    /// <inheritdoc />
    public Task<NamespaceRecord?> GetNamespaceAsync(string name, CancellationToken cancellationToken) =>
        GetVersionedAsync(Namespaces, name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<NamespaceRecord>> ListNamespacesAsync(PageRequest page, CancellationToken cancellationToken) =>
        ListVersionedAsync(Namespaces, page, cancellationToken);

    /// <inheritdoc />
    public Task<NamespaceRecord> CreateNamespaceAsync(NamespaceRecord record, AuditRecord audit, CancellationToken cancellationToken) =>
        CreateVersionedAsync(Namespaces, record, audit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Created by/at keep their stored values whatever <paramref name="record"/> says.</remarks>
    public Task<NamespaceRecord> UpdateNamespaceAsync(NamespaceRecord record, AuditRecord audit, CancellationToken cancellationToken) =>
        UpdateVersionedAsync(Namespaces, record, audit, cancellationToken);

    /// <inheritdoc />
    public Task DeleteNamespaceAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken) =>
        DeleteVersionedAsync(Namespaces, name, expectedVersion, audit, cancellationToken);
}
