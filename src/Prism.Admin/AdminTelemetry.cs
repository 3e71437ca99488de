using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Prism.Admin;

/// <summary>The admin module's ActivitySource and Meter (both named <see cref="Name"/>).</summary>
internal static class AdminTelemetry
{
    /// <summary>Name of the ActivitySource and the Meter.</summary>
    public const string Name = "Prism.Admin";

    internal static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Calls = Meter.CreateCounter<long>(
        "prism.admin.calls", description: "AdminService calls by operation and status code");

    /// <summary>Counts one finished call.</summary>
    internal static void CallFinished(string operation, string statusCode) =>
        Calls.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("status", statusCode));
}
