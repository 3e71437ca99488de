using Prism.Admin;
using Prism.Hosting.Modules;
using Prism.Hosting.Settings;
using Prism.Hosting.Telemetry;
using Prism.Identity;
using Prism.Proxy;
using Prism.Telemetry;
using Prism.WebConsole;

namespace Prism.Host;

/// <summary>Every module the prism executable can host, in start order.</summary>
public static class ModuleCatalog
{
    /// <summary>Known modules, dependencies first: the telemetry receiver before those that export to it, identity before those that validate its tokens.</summary>
    public static IReadOnlyList<PrismModule> All { get; } = [new TelemetryModule(), new IdentityModule(), new AdminModule(), new ProxyModule(), new ConsoleModule()];

    /// <summary>Every setting of every module plus the core ones: what docs/configuration.md must list.</summary>
    public static IReadOnlyList<Setting> AllSettings { get; } =
        [.. CoreSettings.All, .. TelemetrySettings.All, .. Dev.DevSettings.All, .. All.SelectMany(m => m.Settings)];

    /// <summary>Finds modules by name; an unknown name throws with the list of known ones.</summary>
    public static IReadOnlyList<PrismModule> Resolve(IEnumerable<string> names)
    {
        var result = new List<PrismModule>();
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var module = All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"Unknown module '{name}'. Known modules: {string.Join(", ", All.Select(m => m.Name))}.");
            if (!result.Contains(module))
            {
                result.Add(module);
            }
        }

        return result;
    }
}
