using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Prism.Hosting.Settings;

/// <summary>The typed accessors of a setting: the one way every module reads configuration.</summary>
public sealed partial record Setting
{
    /// <summary>What <see cref="Boolean"/> accepts, for messages.</summary>
    public const string BooleanExpected = "'true' or 'false'";

    /// <summary>
    /// The trimmed value in force: the configured text (the deprecated alias's when only it is set),
    /// else <see cref="DefaultValue"/>; null when neither. An empty value counts as set (empty).
    /// </summary>
    public string? Text(IConfiguration configuration)
    {
        var (text, _) = Lookup(configuration);
        return text?.Trim() ?? DefaultValue;
    }

    /// <summary>True when configuration gives the setting (or its alias) a non-empty value, or it has a default.</summary>
    public bool IsSet(IConfiguration configuration) => !string.IsNullOrWhiteSpace(Text(configuration));

    /// <summary>The value, which must not be empty.</summary>
    /// <exception cref="ConfigurationException">Unset or empty.</exception>
    public string RequiredText(IConfiguration configuration) =>
        Given(configuration) is { } text ? text : throw new ConfigurationException($"{Display} must be set (not empty).");

    /// <summary>A whole number of at least 1.</summary>
    /// <exception cref="ConfigurationException">Not a positive whole number.</exception>
    public int PositiveInt(IConfiguration configuration)
    {
        var text = Required(configuration);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw ConfigurationException.Invalid(this, text, "a positive whole number");
    }

    /// <summary>A TCP port, 1–65535, or 0 (the OS chooses, or the listener is off) when <paramref name="allowZero"/>.</summary>
    /// <exception cref="ConfigurationException">Not a port number.</exception>
    public int Port(IConfiguration configuration, bool allowZero = true)
    {
        var text = Required(configuration);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 65535 && (allowZero || value > 0)
            ? value
            : throw ConfigurationException.Invalid(this, text, allowZero ? "a port number from 0 to 65535" : "a port number from 1 to 65535");
    }

    /// <summary><c>true</c> or <c>false</c> (also <c>1</c>/<c>0</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>); unset is false unless the default says otherwise.</summary>
    /// <exception cref="ConfigurationException">Anything else.</exception>
    public bool Boolean(IConfiguration configuration)
    {
        var text = Given(configuration);
        return text?.ToUpperInvariant() switch
        {
            null => false,
            "TRUE" or "1" or "YES" or "ON" => true,
            "FALSE" or "0" or "NO" or "OFF" => false,
            _ => throw ConfigurationException.Invalid(this, text, BooleanExpected),
        };
    }

    /// <summary>One of <see cref="Choices"/> (case-insensitive), returned as declared.</summary>
    /// <exception cref="ConfigurationException">Any other value, or an unset setting without default.</exception>
    public string Choice(IConfiguration configuration)
    {
        var choices = Choices ?? throw new InvalidOperationException($"{Display} declares no choices.");
        var text = Required(configuration);
        return choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase))
            ?? throw ConfigurationException.Invalid(this, text, "one of " + string.Join(", ", choices));
    }

    /// <summary>
    /// A duration in the one format (<see cref="GoDuration"/>): <c>500ms</c>, <c>30s</c>, <c>1h30m</c>. Zero only when
    /// <paramref name="allowZero"/>; a bare number is refused. When only the deprecated alias is set, its whole number is read in the alias's unit.
    /// </summary>
    /// <exception cref="ConfigurationException">Not a duration, or zero where a positive one is needed.</exception>
    public TimeSpan Duration(IConfiguration configuration, bool allowZero = false)
    {
        var (raw, fromAlias) = Lookup(configuration);
        if (fromAlias && Alias is { } alias && !string.IsNullOrWhiteSpace(raw))
        {
            var old = raw.Trim();
            return long.TryParse(old, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && (allowZero || count > 0) && count < int.MaxValue
                ? alias.Unit * count
                : throw new ConfigurationException(
                    $"'{alias.Key}' ({alias.EnvironmentVariable}, deprecated: use {EnvironmentVariable}) must be a {(allowZero ? "" : "positive ")}whole number of {alias.UnitName}; {ConfigurationException.Got(this, old)}.");
        }

        var text = Required(configuration);
        var expected = allowZero ? GoDuration.Expected + ", or 0" : "a positive duration " + GoDuration.Examples;
        return GoDuration.TryParse(text, out var value) && (allowZero || value > TimeSpan.Zero)
            ? value
            : throw ConfigurationException.Invalid(this, text, expected);
    }

    /// <summary>A comma-separated list, trimmed, without empty or repeated items; empty when unset.</summary>
    public IReadOnlyList<string> List(IConfiguration configuration) => SplitList(Text(configuration));

    /// <summary>Lists by name, written <c>client=group,group;client2=group</c>; empty when unset.</summary>
    /// <exception cref="ConfigurationException">An entry without a name or without items.</exception>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> KeyedLists(IConfiguration configuration)
    {
        var text = Text(configuration);
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = entry.IndexOf('=', StringComparison.Ordinal);
            var items = at > 0 ? SplitList(entry[(at + 1)..]) : [];
            if (items.Count == 0)
            {
                throw ConfigurationException.Invalid(this, text, "a list such as 'client=group,group;client2=group'");
            }

            map[entry[..at].Trim()] = items;
        }

        return map;
    }

    /// <summary>An absolute URL whose scheme is one of <paramref name="schemes"/> (default http and https).</summary>
    /// <exception cref="ConfigurationException">Not such a URL.</exception>
    public Uri Url(IConfiguration configuration, params string[] schemes)
    {
        var accepted = schemes.Length > 0 ? schemes : [Uri.UriSchemeHttp, Uri.UriSchemeHttps];
        var text = Required(configuration);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && accepted.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)
            ? uri
            : throw ConfigurationException.Invalid(this, text, $"an absolute {string.Join(" or ", accepted)} URL");
    }

    /// <summary>A file or folder path made absolute; with <paramref name="mustExist"/> the file must exist.</summary>
    /// <exception cref="ConfigurationException">Not a valid path, or a missing file.</exception>
    public string FilePath(IConfiguration configuration, bool mustExist = false)
    {
        var text = Required(configuration);
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw ConfigurationException.Invalid(this, text, "a file path");
        }

        return !mustExist || File.Exists(full)
            ? full
            : throw ConfigurationException.Invalid(this, text, "the path of an existing file");
    }

    /// <summary>True when the value in force comes from the deprecated <see cref="Alias"/> (start-up then warns once).</summary>
    public bool UsesDeprecatedAlias(IConfiguration configuration) =>
        Alias is not null && Lookup(configuration) is (not null and var text, true) && !string.IsNullOrWhiteSpace(text);

    private static List<string> SplitList(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>The non-empty value in force (configured or default), or null.</summary>
    private string? Given(IConfiguration configuration)
    {
        var (text, _) = Lookup(configuration);
        return string.IsNullOrWhiteSpace(text) ? (string.IsNullOrWhiteSpace(DefaultValue) ? null : DefaultValue.Trim()) : text.Trim();
    }

    private string Required(IConfiguration configuration) =>
        Given(configuration) ?? throw new ConfigurationException($"{Display} must be set (not empty).");

    /// <summary>
    /// The configured text and whether it came from the deprecated alias: the configuration source of highest
    /// precedence that sets either name wins, and the new name wins within one source.
    /// </summary>
    private (string? Text, bool FromAlias) Lookup(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Alias is not { } alias)
        {
            return (configuration[Key], false);
        }

        if (configuration is IConfigurationRoot root)
        {
            foreach (var provider in root.Providers.Reverse())
            {
                // A source that holds the key with a null value (an in-memory override clearing it) does not set it.
                if (provider.TryGet(Key, out var value) && value is not null)
                {
                    return (value, false);
                }

                if (provider.TryGet(alias.Key, out var old) && old is not null)
                {
                    return (old, true);
                }
            }

            return (null, false);
        }

        return configuration[Key] is { } text ? (text, false) : configuration[alias.Key] is { } aliased ? (aliased, true) : (null, false);
    }
}
