namespace Prism.Backends.Instances;

/// <summary>Where a backend instance comes from.</summary>
public enum BackendSource
{
    /// <summary>The configuration file or <c>PRISM_*</c> settings of the process; read-only through the admin API.</summary>
    Config = 1,

    /// <summary>The control store, written through the admin API.</summary>
    Api = 2,
}

/// <summary>
/// What a process needs to reach one named backend instance: its type and every setting, secret
/// ones included. Never log or return it whole: <see cref="Types.BackendType.InstanceSettings"/> says
/// which values are secret.
/// </summary>
/// <param name="Name">Instance name namespace slots bind to.</param>
/// <param name="Type">Backend type name.</param>
/// <param name="Values">Setting key → value, secret and non-secret.</param>
/// <param name="Source">Configuration or control store.</param>
public sealed record BackendInstanceSpec(string Name, string Type, IReadOnlyDictionary<string, string> Values, BackendSource Source)
{
    /// <summary>The value of <paramref name="key"/>, or null when unset or empty.</summary>
    public string? Value(string key) => Values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    /// <summary>True when both describe the same connection (same type and settings), whatever their source.</summary>
    public bool SameConnection(BackendInstanceSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Type == other.Type
            && Values.Count == other.Values.Count
            && Values.All(v => other.Values.TryGetValue(v.Key, out var value) && value == v.Value);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Type})";
}
