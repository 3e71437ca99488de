using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private static readonly VersionedNoun<ConfigRow, ConfigRecord> Configs =
        new("config", c => c.Configs, RowMapping.ToRow, RowMapping.ToRecord);

    /// <inheritdoc />
    public Task<ConfigRecord?> GetConfigAsync(string name, CancellationToken cancellationToken) =>
        GetVersionedAsync(Configs, name, cancellationToken);

    /// <inheritdoc />
    public Task<Page<ConfigRecord>> ListConfigsAsync(PageRequest page, CancellationToken cancellationToken) =>
        ListVersionedAsync(Configs, page, cancellationToken);

    /// <inheritdoc />
    public Task<ConfigRecord> CreateConfigAsync(ConfigRecord record, AuditRecord audit, CancellationToken cancellationToken) =>
        CreateVersionedAsync(Configs, record, audit, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Created by/at keep their stored values whatever <paramref name="record"/> says.</remarks>
    public Task<ConfigRecord> UpdateConfigAsync(ConfigRecord record, AuditRecord audit, CancellationToken cancellationToken) =>
        UpdateVersionedAsync(Configs, record, audit, cancellationToken);

    /// <inheritdoc />
    public Task DeleteConfigAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken) =>
        DeleteVersionedAsync(Configs, name, expectedVersion, audit, cancellationToken);
}
