using Prism.Hosting.Settings;

namespace Prism.Host.Dev;

/// <summary>Settings of <c>prism dev</c>.</summary>
public static class DevSettings
{
    /// <summary>How long dev up waits for a service to become healthy.</summary>
    public static readonly Setting StartTimeout = new("PRISM_DEV_START_TIMEOUT", "dev:start_timeout", "30",
        "Seconds 'prism dev up' waits for each service to become healthy before it reports a failure.");

    /// <summary>Every dev setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [StartTimeout];
}
