using Microsoft.EntityFrameworkCore;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore;

public sealed partial class ControlStore
{
    private const int ControlRowId = 1;

    /// <inheritdoc />
    public async Task<ControlState> GetControlStateAsync(CancellationToken cancellationToken)
    {
        await using var context = database.CreateContext();
        var row = await context.Control.AsNoTracking().SingleAsync(c => c.Id == ControlRowId, cancellationToken);
        return RowMapping.ToRecord(row);
    }

    /// <inheritdoc />
    public Task<MaintenanceState> SetMaintenanceAsync(MaintenanceState state, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return MutateAsync(audit, async context =>
        {
            var row = await context.Control.SingleAsync(c => c.Id == ControlRowId, cancellationToken);
            row.MaintenanceEnabled = state.Enabled;
            row.MaintenanceMessage = state.Message;
            row.MaintenanceSetBy = state.SetBy;
            row.MaintenanceSetAt = RowMapping.StoreTime(state.SetAt);
            await context.SaveChangesAsync(cancellationToken);
            return RowMapping.ToRecord(row).Maintenance;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<DrainState> SetDrainAsync(DrainState state, AuditRecord audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return MutateAsync(audit, async context =>
        {
            var row = await context.Control.SingleAsync(c => c.Id == ControlRowId, cancellationToken);
            row.Draining = state.Draining;
            row.DrainMessage = state.Message;
            row.DrainDeadline = RowMapping.StoreTime(state.Deadline);
            row.DrainSetBy = state.SetBy;
            await context.SaveChangesAsync(cancellationToken);
            return RowMapping.ToRecord(row).Drain;
        }, cancellationToken);
    }
}
