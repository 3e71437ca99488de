using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.ControlStore;

namespace Prism.Admin.Backends;

/// <summary>A backend instance as the admin API shows it: no secret values, only which secrets are set.</summary>
internal sealed record BackendView(
    string Name,
    BackendType Type,
    string Endpoint,
    BackendSource Source,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> SecretsSet,
    string Description,
    IReadOnlyDictionary<string, string> Labels,
    long Version,
    string CreatedBy,
    DateTimeOffset? CreatedAt,
    string UpdatedBy,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>An instance of the process configuration.</summary>
    public static BackendView Of(BackendInstanceSpec spec, BackendType type, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(type);
        var (settings, secrets) = Split(type, spec.Values);
        return new(spec.Name, type, endpoint, spec.Source, settings, [.. secrets.Keys.Order(StringComparer.Ordinal)], "", new Dictionary<string, string>(),
            0, "", null, "", null);
    }

    /// <summary>A stored instance.</summary>
    public static BackendView Of(BackendRecord record, BackendType type, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Name, type, endpoint, BackendSource.Api, record.Settings, [.. record.Secrets.Keys.Order(StringComparer.Ordinal)],
            record.Description, record.Labels, record.Version, record.CreatedBy, record.CreatedAt, record.UpdatedBy, record.UpdatedAt);
    }

    /// <summary>Splits setting values into the type's non-secret and secret ones.</summary>
    public static (Dictionary<string, string> Settings, Dictionary<string, string> Secrets) Split(BackendType type, IReadOnlyDictionary<string, string> values)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            (BackendInstanceRules.IsSecret(type, key) ? secrets : settings)[key] = value;
        }

        return (settings, secrets);
    }
}
