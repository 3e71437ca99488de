using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Prism.WebConsole;

/// <summary>The console's ActivitySource and Meter (<c>Prism.Console</c>).</summary>
public static class ConsoleTelemetry
{
    /// <summary>Name of the ActivitySource and the Meter.</summary>
    public const string Name = "Prism.Console";

    /// <summary>Spans of the console's own work.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> SignIns = Meter.CreateCounter<long>("prism.console.sign_ins", description: "Completed console sign-ins.");

    /// <summary>Counts a completed sign-in.</summary>
    public static void SignedIn() => SignIns.Add(1);
}
