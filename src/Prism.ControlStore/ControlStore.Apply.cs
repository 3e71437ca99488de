namespace Prism.ControlStore;

/// <summary>One change of a declarative apply: a new or replacing record and the audit entry that records it.</summary>
/// <param name="Record">A <see cref="BackendRecord"/> or <see cref="NamespaceRecord"/>; a replacement carries the version it replaces.</param>
/// <param name="Create">True to insert at version 1, false to replace.</param>
/// <param name="Audit">The entry committed with the change.</param>
public sealed record StoreChange(IVersionedRecord Record, bool Create, AuditRecord Audit);

public sealed partial class ControlStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<IVersionedRecord>> ApplyAsync(IReadOnlyList<StoreChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await using var context = database.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var stored = new List<IVersionedRecord>(changes.Count);
        foreach (var change in changes)
        {
            stored.Add(change.Record switch
            {
                BackendRecord b => change.Create ? await InsertVersionedAsync(context, Backends, b, cancellationToken) : await ReplaceVersionedAsync(context, Backends, b, cancellationToken),
                NamespaceRecord n => change.Create ? await InsertVersionedAsync(context, Namespaces, n, cancellationToken) : await ReplaceVersionedAsync(context, Namespaces, n, cancellationToken),
                ConfigRecord c => change.Create ? await InsertVersionedAsync(context, Configs, c, cancellationToken) : await ReplaceVersionedAsync(context, Configs, c, cancellationToken),
                _ => throw new ArgumentException($"cannot apply a {change.Record.GetType().Name}", nameof(changes)),
            });
            await InsertAuditAsync(context, change.Audit, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }
}
