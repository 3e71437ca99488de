using Prism.Backends.Instances;

namespace Prism.ControlStore;

/// <summary>
/// Durable state of the control plane. Every mutation takes the audit entry that records it
/// and commits both in one transaction, so a crash never leaves one without the other.
/// Implementations: SQLite (default) and PostgreSQL; both pass one shared test suite.
/// </summary>
public interface IControlStore : IStoreSchema, INamespaceSource, ISessionLedger, ILeaseLedger, IControlStateSource, IBackendInstanceSource,
    IIdentityRevocationLedger
{
    /// <summary>Gets a stored backend instance, or null.</summary>
    Task<BackendRecord?> GetBackendAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every stored backend instance, ordered by name.</summary>
    Task<IReadOnlyList<BackendRecord>> ListBackendsAsync(CancellationToken cancellationToken);

    /// <summary>Same contract as <see cref="CreateNamespaceAsync"/>.</summary>
    Task<BackendRecord> CreateBackendAsync(BackendRecord record, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Same contract as <see cref="UpdateNamespaceAsync"/>.</summary>
    Task<BackendRecord> UpdateBackendAsync(BackendRecord record, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Same contract as <see cref="DeleteNamespaceAsync"/>.</summary>
    /// <exception cref="ResourceInUseException">A namespace slot binds it.</exception>
    Task DeleteBackendAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Applies every change with its audit entry in one transaction, in list order, or none of them.</summary>
    /// <exception cref="ResourceAlreadyExistsException">A created name is taken.</exception>
    /// <exception cref="VersionConflictException">A replaced record changed since it was read.</exception>
    Task<IReadOnlyList<IVersionedRecord>> ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken);

    /// <summary>Names of the namespaces with a slot bound to <paramref name="backend"/>, ordered.</summary>
    Task<IReadOnlyList<string>> NamespacesBindingAsync(string backend, CancellationToken cancellationToken);

    /// <summary>Namespaces ordered by name.</summary>
    Task<Page<NamespaceRecord>> ListNamespacesAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>Stores a new namespace with version 1.</summary>
    /// <exception cref="ResourceAlreadyExistsException">The name is taken.</exception>
    Task<NamespaceRecord> CreateNamespaceAsync(NamespaceRecord record, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Replaces a namespace when its stored version equals <paramref name="record"/>'s version; the result has version + 1.</summary>
    /// <exception cref="ResourceNotFoundException">No such namespace.</exception>
    /// <exception cref="VersionConflictException">The stored version differs.</exception>
    Task<NamespaceRecord> UpdateNamespaceAsync(NamespaceRecord record, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Deletes a namespace; <paramref name="expectedVersion"/> 0 deletes any version.</summary>
    /// <exception cref="ResourceNotFoundException">No such namespace.</exception>
    /// <exception cref="VersionConflictException">The stored version differs.</exception>
    Task DeleteNamespaceAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Gets a config, or null.</summary>
    Task<ConfigRecord?> GetConfigAsync(string name, CancellationToken cancellationToken);

    /// <summary>Configs ordered by name.</summary>
    Task<Page<ConfigRecord>> ListConfigsAsync(PageRequest page, CancellationToken cancellationToken);

    /// <summary>Same contract as <see cref="CreateNamespaceAsync"/>.</summary>
    Task<ConfigRecord> CreateConfigAsync(ConfigRecord record, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Same contract as <see cref="UpdateNamespaceAsync"/>.</summary>
    Task<ConfigRecord> UpdateConfigAsync(ConfigRecord record, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Same contract as <see cref="DeleteNamespaceAsync"/>.</summary>
    Task DeleteConfigAsync(string name, long expectedVersion, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Sessions ordered by id, optionally of one namespace, active ones only unless <paramref name="includeInactive"/>.</summary>
    Task<Page<SessionRecord>> ListSessionsAsync(PageRequest page, string? @namespace, bool includeInactive, CancellationToken cancellationToken);

    /// <summary>Marks a session terminated.</summary>
    /// <exception cref="ResourceNotFoundException">No such session.</exception>
    Task<SessionRecord> TerminateSessionAsync(string id, string terminatedBy, string reason, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Sets maintenance mode.</summary>
    Task<MaintenanceState> SetMaintenanceAsync(MaintenanceState state, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Starts or ends a drain.</summary>
    Task<DrainState> SetDrainAsync(DrainState state, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Appends an entry that goes with no mutation: reads, failures and denials.</summary>
    Task<AuditRecord> AppendAuditAsync(AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Appends several such entries in one transaction (group commit), in list order.</summary>
    Task AppendAuditBatchAsync(IReadOnlyList<AuditRecord> audits, CancellationToken cancellationToken);

    /// <summary>Audit entries matching <paramref name="query"/>, in sequence order (newest first when it asks).</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAuditAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes audit entries and sessions past <paramref name="policy"/> at <paramref name="now"/>. Safe to run from several processes at once.</summary>
    Task<PruneOutcome> PruneAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Counts for metrics, computed by the database without loading rows.</summary>
    Task<StoreStatistics> StatisticsAsync(CancellationToken cancellationToken);
}

/// <summary>The store's schema: every process that uses the store runs the same migrations.</summary>
public interface IStoreSchema
{
    /// <summary>Creates or upgrades the schema. Safe to run concurrently from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the store answers a trivial query.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);
}

/// <summary>Reads namespaces: what the data plane routes by.</summary>
public interface INamespaceSource
{
    /// <summary>Gets a namespace, or null.</summary>
    Task<NamespaceRecord?> GetNamespaceAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Sessions as proxies record them.</summary>
public interface ISessionLedger
{
    /// <summary>Inserts or updates a session and its counters (written by proxies).</summary>
    Task UpsertSessionAsync(SessionRecord session, CancellationToken cancellationToken);

    /// <summary>Gets a session, or null.</summary>
    Task<SessionRecord?> GetSessionAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Maintenance and drain state, obeyed by every proxy reading the same store.</summary>
public interface IControlStateSource
{
    /// <summary>Maintenance and drain state.</summary>
    Task<ControlState> GetControlStateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Leases of per-session backend credentials, written by the proxies that issue them; each change
/// commits with its audit entry. A lease is recorded before its credential exists and deleted after
/// it is gone, so a credential never exists without a lease that a sweep can find.
/// </summary>
public interface ILeaseLedger
{
    /// <summary>Records a lease about to be issued.</summary>
    Task RecordLeaseAsync(LeaseRecord lease, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Moves a lease's expiry; false when it is no longer recorded (a sweep revoked it).</summary>
    Task<bool> RenewLeaseAsync(string id, DateTimeOffset expiresAt, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>Forgets a revoked lease; false (and no audit entry) when it was already gone.</summary>
    Task<bool> DeleteLeaseAsync(string id, AuditRecord audit, CancellationToken cancellationToken);

    /// <summary>The leases of <paramref name="sessionIds"/> (every lease when null), ordered by session then id.</summary>
    Task<IReadOnlyList<LeaseRecord>> ListLeasesAsync(IReadOnlyCollection<string>? sessionIds, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="holder"/> (a running proxy process) is alive at <paramref name="now"/>.</summary>
    Task HeartbeatAsync(string holder, string proxyId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets a holder that stopped cleanly.</summary>
    Task ReleaseHolderAsync(string holder, CancellationToken cancellationToken);

    /// <summary>Leases expired at <paramref name="now"/> or whose holder's last heartbeat is before <paramref name="staleBefore"/>.</summary>
    Task<IReadOnlyList<LeaseRecord>> AbandonedLeasesAsync(DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken);
}
