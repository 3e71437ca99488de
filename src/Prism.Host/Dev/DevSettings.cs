using Prism.Hosting.Settings;

namespace Prism.Host.Dev;

/// <summary>Settings of <c>prism dev</c>.</summary>
public static class DevSettings
{
    /// <summary>How long dev up waits for a service to become healthy.</summary>
    public static readonly Setting UpTimeout = new("PRISM_DEV_UP_TIMEOUT", "dev:up_timeout", "30s",
        "Time 'prism dev up' waits for each service to become healthy before it reports a failure.")
    {
        Alias = new DeprecatedAlias("PRISM_DEV_START_TIMEOUT", "dev:start_timeout", TimeSpan.FromSeconds(1)),
    };

    /// <summary>Every dev setting.</summary>
    public static IReadOnlyList<Setting> All { get; } = [UpTimeout];
}
