using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Backends.Types;

/// <summary>Reads a <see cref="Setting"/> with its default.</summary>
internal static class ConfigurationValues
{
    public static string Value(this IConfiguration configuration, Setting setting) =>
        configuration[setting.Key] is { Length: > 0 } value ? value : setting.DefaultValue ?? "";
}
