using Prism.ControlStore;

namespace Prism.Proxy.Control;

/// <summary>
/// The maintenance and drain state this proxy obeys, as last read from the control store.
/// Read on every call, written only by <see cref="ControlStateMonitor"/>.
/// </summary>
internal sealed class ControlStateCache
{
    private volatile ControlState _current = new(MaintenanceState.Off, DrainState.Off);

    /// <summary>The last state read.</summary>
    public ControlState Current => _current;

    internal void Update(ControlState state) => _current = state;
}
