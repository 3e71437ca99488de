using System.Globalization;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends.Credentials;

/// <summary>How sessions reach a backend instance.</summary>
public enum CredentialMode
{
    /// <summary>Every session uses the instance's own credential (its <c>url</c>).</summary>
    Static = 0,

    /// <summary>Each session gets its own short-lived credential, issued with the instance's administrative credential.</summary>
    Dynamic = 1,
}

/// <summary>
/// The credential settings of an instance: <c>credentials</c> (static | dynamic), <c>lease_ttl</c>,
/// <c>lease_max_ttl</c> and <c>max_sessions</c>. In dynamic mode the instance's <c>url</c> is the
/// administrative credential: it creates and drops per-session roles or users and is never handed to a client.
/// </summary>
/// <param name="Mode">Static or dynamic.</param>
/// <param name="LeaseTtl">Lifetime of an issued credential; renewed at half-life while the session lives.</param>
/// <param name="LeaseMaxTtl">No credential lives longer: past it the session gets a new one.</param>
/// <param name="MaxSessions">Dynamic sessions one process holds on the instance at once; each costs backend connections.</param>
public sealed record CredentialPolicy(CredentialMode Mode, TimeSpan LeaseTtl, TimeSpan LeaseMaxTtl, int MaxSessions)
{
    /// <summary>Setting key of the mode.</summary>
    public const string ModeKey = "credentials";

    /// <summary>Setting key of the lease lifetime.</summary>
    public const string TtlKey = "lease_ttl";

    /// <summary>Setting key of the longest lifetime of one credential.</summary>
    public const string MaxTtlKey = "lease_max_ttl";

    /// <summary>Setting key of the per-process session bound.</summary>
    public const string MaxSessionsKey = "max_sessions";

    /// <summary>Static mode: what an instance without credential settings gets.</summary>
    public static CredentialPolicy Static { get; } = new(CredentialMode.Static, TimeSpan.FromHours(1), TimeSpan.FromHours(24), 100);

    /// <summary>The instance settings of a type that can issue per-session credentials.</summary>
    public static IReadOnlyList<BackendSettingSpec> Settings { get; } =
    [
        new(ModeKey, Secret: false, Required: false,
            "static (default): sessions use the url's credential; dynamic: each session gets its own short-lived credential, created with the url's (administrative) credential."),
        new(TtlKey, Secret: false, Required: false, "Lifetime of a dynamic credential, renewed at half-life while the session lives (Go duration, default 1h)."),
        new(MaxTtlKey, Secret: false, Required: false, "Longest life of one dynamic credential; past it the session gets a new one (default 24h)."),
        new(MaxSessionsKey, Secret: false, Required: false, "Dynamic sessions one proxy holds on the instance at once (default 100); each costs backend connections."),
    ];

    /// <summary>True when dynamic.</summary>
    public bool IsDynamic => Mode == CredentialMode.Dynamic;

    /// <summary>The policy of <paramref name="spec"/>.</summary>
    /// <exception cref="BackendSpecException">A credential setting is malformed, or the type cannot issue credentials.</exception>
    public static CredentialPolicy Of(BackendInstanceSpec spec, BackendType type)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(type);
        var mode = spec.Value(ModeKey) switch
        {
            null or "static" => CredentialMode.Static,
            "dynamic" => CredentialMode.Dynamic,
            _ => throw new BackendSpecException($"setting '{ModeKey}' must be one of: static, dynamic"),
        };
        if (mode == CredentialMode.Dynamic && !type.IssuesCredentials)
        {
            throw new BackendSpecException($"type {type.Name} cannot issue per-session credentials; setting '{ModeKey}' must be static");
        }

        var ttl = Duration(spec, TtlKey, Static.LeaseTtl);
        var maxTtl = Duration(spec, MaxTtlKey, Static.LeaseMaxTtl);
        if (ttl < TimeSpan.FromSeconds(1))
        {
            throw new BackendSpecException($"setting '{TtlKey}' must be at least 1s");
        }

        if (maxTtl < ttl)
        {
            throw new BackendSpecException($"setting '{MaxTtlKey}' must not be shorter than '{TtlKey}'");
        }

        var maxSessions = Static.MaxSessions;
        if (spec.Value(MaxSessionsKey) is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out maxSessions) || maxSessions < 1))
        {
            throw new BackendSpecException($"setting '{MaxSessionsKey}' must be a positive integer");
        }

        return new CredentialPolicy(mode, ttl, maxTtl, maxSessions);
    }

    private static TimeSpan Duration(BackendInstanceSpec spec, string key, TimeSpan fallback)
    {
        if (spec.Value(key) is not { } text)
        {
            return fallback;
        }

        return GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw new BackendSpecException($"setting '{key}' must be a positive duration such as 30m or 1h");
    }
}
