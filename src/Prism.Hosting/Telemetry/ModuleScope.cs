using System.Collections.Immutable;
using System.Diagnostics;

namespace Prism.Hosting.Telemetry;

/// <summary>
/// Which module a span belongs to. ActivitySources are process-wide, so when several modules
/// share a process every module's tracer sees every span; the owner recorded here lets each
/// module export only its own spans under its own service name.
/// </summary>
public static class ModuleScope
{
    private const string OwnerProperty = "prism.module";
    private static readonly AsyncLocal<string?> Ambient = new();
    private static ImmutableList<string> live = [];

    /// <summary>The module whose code runs on the current async flow, if known.</summary>
    public static string? Current => Ambient.Value;

    /// <summary>Marks the current async flow as running <paramref name="module"/>'s code until disposed.</summary>
    public static IDisposable Enter(string module)
    {
        var previous = Ambient.Value;
        Ambient.Value = module;
        return new Restore(previous);
    }

    /// <summary>Records <paramref name="module"/> as the owner of <paramref name="activity"/> unless it has one.</summary>
    public static void Claim(Activity? activity, string module)
    {
        if (activity is not null && activity.GetCustomProperty(OwnerProperty) is null)
        {
            activity.SetCustomProperty(OwnerProperty, module);
        }
    }

    /// <summary>The owner of <paramref name="activity"/>: its own, its local parent's, or the ambient module's.</summary>
    public static string? OwnerOf(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.GetCustomProperty(OwnerProperty) is string owner)
        {
            return owner;
        }

        var inherited = activity.Parent?.GetCustomProperty(OwnerProperty) as string ?? Ambient.Value;
        if (inherited is not null)
        {
            activity.SetCustomProperty(OwnerProperty, inherited);
        }

        return inherited;
    }

    /// <summary>True when <paramref name="module"/> exports spans nobody claimed: the oldest exporting module of the process.</summary>
    internal static bool TakesUnclaimed(string module) => live.FirstOrDefault() == module;

    internal static void Register(string module) => ImmutableInterlocked.Update(ref live, l => l.Add(module));

    internal static void Unregister(string module) => ImmutableInterlocked.Update(ref live, l => l.Remove(module));

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
