namespace Prism.Hosting.Settings;

/// <summary>
/// One configuration value: its key in <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>,
/// the environment variable that sets it, its default and what it means. Declared once and
/// shared by the code, <c>docs/configuration.md</c> and the tests. The typed accessors
/// (<see cref="PositiveInt"/>, <see cref="Duration"/>, <see cref="Choice"/>, …) read it and throw
/// one <see cref="ConfigurationException"/> naming the key, the variable, the bad value and what is accepted.
/// </summary>
/// <param name="EnvironmentVariable">For example <c>PRISM_IDENTITY_PORT</c>.</param>
/// <param name="Key">Configuration key, for example <c>identity:port</c>; also the path in a YAML config file.</param>
/// <param name="DefaultValue">Value used when nothing sets it, or null.</param>
/// <param name="Description">One sentence for the documentation.</param>
public sealed partial record Setting(string EnvironmentVariable, string Key, string? DefaultValue, string Description)
{
    /// <summary>True for passwords, keys and connection strings: error messages never echo the value.</summary>
    public bool Secret { get; init; }

    /// <summary>The only values <see cref="Choice"/> accepts (case-insensitive), or null for a free-form setting.</summary>
    public IReadOnlyList<string>? Choices { get; init; }

    /// <summary>The name this setting had before, still read (in its old unit) when the setting itself is not set.</summary>
    public DeprecatedAlias? Alias { get; init; }

    /// <summary>How error messages name the setting: key and environment variable.</summary>
    public string Display => $"'{Key}' ({EnvironmentVariable})";
}

/// <summary>
/// The old name of a duration setting whose variable carried its unit (<c>PRISM_PROXY_CONTROL_POLL_MS</c>):
/// it keeps working, read as a whole number of <paramref name="Unit"/>, and start-up logs one warning naming the replacement.
/// </summary>
/// <param name="EnvironmentVariable">The old variable, for example <c>PRISM_PROXY_CONTROL_POLL_MS</c>.</param>
/// <param name="Key">The old configuration key, for example <c>proxy:control_poll_ms</c>.</param>
/// <param name="Unit">What one in the old value stands for: a millisecond or a second.</param>
public sealed record DeprecatedAlias(string EnvironmentVariable, string Key, TimeSpan Unit)
{
    /// <summary>The unit as a word for messages: <c>milliseconds</c> or <c>seconds</c>.</summary>
    public string UnitName => Unit == TimeSpan.FromMilliseconds(1) ? "milliseconds" : Unit == TimeSpan.FromSeconds(1) ? "seconds" : GoDuration.Format(Unit) + " units";
}
