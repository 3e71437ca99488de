using Prism.Admin.Audit;
using Prism.Admin.Calls;
using Prism.ControlStore;

namespace Prism.Admin.Operations;

/// <summary>Maintenance mode and drain: state in the store that every proxy obeys.</summary>
internal sealed class ControlPlane(IControlStore store, AuditEntries audit, TimeProvider time)
{
    /// <summary>Seconds a drain waits when the request says 0.</summary>
    public const int DefaultDrainSeconds = 30;

    /// <summary>Current maintenance state.</summary>
    public async Task<MaintenanceState> GetMaintenanceAsync(AdminCaller caller, CancellationToken cancellation)
    {
        caller.Touches("maintenance");
        return (await store.GetControlStateAsync(cancellation)).Maintenance;
    }

    /// <summary>Turns maintenance mode on or off; data-plane calls then fail UNAVAILABLE with <paramref name="message"/>.</summary>
    public async Task<MaintenanceState> SetMaintenanceAsync(AdminCaller caller, bool enabled, string message, CancellationToken cancellation)
    {
        caller.Touches("maintenance", enabled ? "on" : "off");
        if (message.Length > 512)
        {
            throw new AdminValidationException("message", "is longer than 512 characters");
        }

        caller.Metadata["enabled"] = enabled ? "true" : "false";
        var state = enabled
            ? new MaintenanceState(true, message.Length > 0 ? message : "Prism is in maintenance mode", caller.Actor, time.GetUtcNow())
            : MaintenanceState.Off with { SetBy = caller.Actor, SetAt = time.GetUtcNow() };
        var stored = await store.SetMaintenanceAsync(state, audit.Success(caller), cancellation);
        caller.Audited = true;
        return stored;
    }

    /// <summary>Starts (or with <paramref name="cancel"/> ends) a drain.</summary>
    public async Task<(DrainState Drain, int ActiveSessions)> DrainAsync(AdminCaller caller, int timeoutSeconds, string message, bool cancel, CancellationToken cancellation)
    {
        caller.Touches("drain", cancel ? "cancel" : "start");
        if (timeoutSeconds is < 0 or > 86_400)
        {
            throw new AdminValidationException("timeout_seconds", "must be between 0 and 86400");
        }

        var seconds = timeoutSeconds == 0 ? DefaultDrainSeconds : timeoutSeconds;
        caller.Metadata["timeout_seconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var state = cancel
            ? DrainState.Off with { SetBy = caller.Actor }
            : new DrainState(true, message.Length > 0 ? message : "Prism is draining connections", time.GetUtcNow().AddSeconds(seconds), caller.Actor);
        var stored = await store.SetDrainAsync(state, audit.Success(caller), cancellation);
        caller.Audited = true;
        var active = await store.ListSessionsAsync(new PageRequest(1000, null), null, includeInactive: false, cancellation);
        return (stored, active.Items.Count);
    }
}
