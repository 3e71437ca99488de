using System.Diagnostics;
using OpenTelemetry;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// Keeps another module's spans out of this module's exporter. Export processors skip spans
/// whose Recorded flag is clear, so the gate, which runs before the exporter, clears the flag of
/// a foreign span. Tracers are notified one after another on the thread that ends the span, so
/// the next gate first sets the flag back and then decides for its own module; the flag left
/// clear by the last gate no longer matters once every tracer has seen the span.
/// </summary>
internal sealed class ModuleSpanGate : BaseProcessor<Activity>
{
    [ThreadStatic]
    private static Activity? hidden;

    private readonly string _module;

    public ModuleSpanGate(string module)
    {
        _module = module;
        ModuleScope.Register(module);
    }

    public override void OnStart(Activity data) => ModuleScope.OwnerOf(data);

    public override void OnEnd(Activity data)
    {
        if (ReferenceEquals(hidden, data))
        {
            data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }

        hidden = null;
        var owner = ModuleScope.OwnerOf(data);
        var mine = owner == _module || (owner is null && ModuleScope.TakesUnclaimed(_module));
        if (!mine && data.Recorded)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            hidden = data;
        }
    }

    protected override void Dispose(bool disposing)
    {
        ModuleScope.Unregister(_module);
        base.Dispose(disposing);
    }
}
