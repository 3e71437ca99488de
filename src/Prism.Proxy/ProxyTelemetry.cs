using System.Diagnostics;

namespace Prism.Proxy;

/// <summary>ActivitySource and Meter names of the data proxy; hosts add them to their OpenTelemetry pipelines.</summary>
internal static class ProxyTelemetry
{
    /// <summary>Name of the ActivitySource (one span per data-plane call) and of the Meter.</summary>
    public const string Name = "Prism.Proxy";

    /// <summary>ActivitySource name.</summary>
    public const string ActivitySourceName = Name;

    /// <summary>Meter name.</summary>
    public const string MeterName = Name;

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
