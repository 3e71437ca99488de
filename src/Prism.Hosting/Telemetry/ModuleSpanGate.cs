using System.Diagnostics;
using OpenTelemetry;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// Keeps another module's spans out of this module's exporter. <see cref="Hide"/> runs before the
/// export processor and clears the Recorded flag of a foreign span (export processors skip
/// unrecorded spans); <see cref="Reveal"/> runs after it and sets the flag back, so the tracers of
/// the other modules, called next on the same thread, still see the span as recorded.
/// </summary>
internal sealed class ModuleSpanGate
{
    [ThreadStatic]
    private static Activity? hidden;

    public ModuleSpanGate(string module)
    {
        Hide = new HideProcessor(module);
        Reveal = new RevealProcessor(module);
    }

    /// <summary>Processor to add before the exporter.</summary>
    public BaseProcessor<Activity> Hide { get; }

    /// <summary>Processor to add after the exporter.</summary>
    public BaseProcessor<Activity> Reveal { get; }

    private sealed class HideProcessor : BaseProcessor<Activity>
    {
        private readonly string _module;

        public HideProcessor(string module)
        {
            _module = module;
            ModuleScope.Register(module);
        }

        public override void OnStart(Activity data) => ModuleScope.OwnerOf(data);

        public override void OnEnd(Activity data)
        {
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

    private sealed class RevealProcessor(string module) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (ReferenceEquals(hidden, data))
            {
                data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
                hidden = null;
            }
        }

        public override string ToString() => "ModuleSpanGate.Reveal(" + module + ")";
    }
}
