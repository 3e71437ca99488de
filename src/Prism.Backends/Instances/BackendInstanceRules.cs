using System.Text.RegularExpressions;
using Prism.Backends.Credentials;
using Prism.Backends.Types;

namespace Prism.Backends.Instances;

/// <summary>What a valid backend instance looks like. Messages name the setting, never a value.</summary>
public static partial class BackendInstanceRules
{
    /// <summary>The type of <paramref name="spec"/> after checking name, type and settings.</summary>
    /// <exception cref="BackendSpecException">The first problem found.</exception>
    public static BackendType Validate(BackendInstanceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!DnsLabel().IsMatch(spec.Name))
        {
            throw new BackendSpecException($"name '{Shorten(spec.Name)}' is not a DNS label (1-63 lowercase letters, digits or '-', starting and ending with a letter or digit)");
        }

        var type = BuiltInBackendTypes.Find(spec.Type)
            ?? throw new BackendSpecException($"unknown type '{Shorten(spec.Type)}'; known: {string.Join(", ", BuiltInBackendTypes.All.Select(t => t.Name))}");
        foreach (var key in spec.Values.Keys.Where(k => type.InstanceSettings.All(s => s.Key != k)))
        {
            var accepted = type.InstanceSettings.Count == 0 ? "none" : string.Join(", ", type.InstanceSettings.Select(s => s.Key));
            throw new BackendSpecException($"type {type.Name} has no setting '{Shorten(key)}'; accepted: {accepted}");
        }

        foreach (var setting in type.InstanceSettings.Where(s => s.Required && spec.Value(s.Key) is null))
        {
            throw new BackendSpecException($"setting '{setting.Key}' is required for type {type.Name}");
        }

        _ = type.Endpoint(spec);
        _ = CredentialPolicy.Of(spec, type);
        return type;
    }

    /// <summary>True when <paramref name="key"/> is a secret setting of <paramref name="type"/>.</summary>
    public static bool IsSecret(BackendType type, string key) =>
        type.InstanceSettings.Any(s => s.Key == key && s.Secret);

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
