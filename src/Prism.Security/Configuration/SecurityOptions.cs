namespace Prism.Security.Configuration;

/// <summary>Token validation and RBAC options, read from <see cref="SecuritySettings"/> by <see cref="SecurityOptionsReader"/>.</summary>
public sealed class SecurityOptions
{
    /// <summary>Every call is the local developer (<see cref="SecuritySettings.AuthDisabled"/>).</summary>
    public bool AuthDisabled { get; set; }

    /// <summary>Issuer URL (<see cref="SecuritySettings.Issuer"/>).</summary>
    public string? Issuer { get; set; } = SecuritySettings.Issuer.DefaultValue;

    /// <summary>Accepted audiences (<see cref="SecuritySettings.Audiences"/>).</summary>
    public IReadOnlyList<string> Audiences { get; set; } = SecuritySettings.DefaultAudiences.Split(',');

    /// <summary>Background refresh age of the signing keys.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Shortest time between two refetches caused by an unknown key id.</summary>
    public TimeSpan JwksRefetchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tolerated clock difference for exp and nbf.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Largest accepted token, in bytes.</summary>
    public int MaxTokenBytes { get; set; } = 16 * 1024;

    /// <summary>Lifetime cap of a validated-token cache entry; zero disables the cache.</summary>
    public TimeSpan TokenCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Capacity of the validated-token cache.</summary>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>Groups granting the admin role.</summary>
    public IReadOnlyList<string> AdminGroups { get; set; } = ["prism:admin"];

    /// <summary>Groups granting the operator role.</summary>
    public IReadOnlyList<string> OperatorGroups { get; set; } = ["prism:operator"];

    /// <summary>Groups granting the viewer role.</summary>
    public IReadOnlyList<string> ViewerGroups { get; set; } = ["prism:viewer"];

    /// <summary>Groups of service-account clients whose tokens carry none, by client id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClientGroups { get; set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Values that could not be parsed, reported by <see cref="SecurityOptionsValidator"/> at start.</summary>
    public IList<string> ParseErrors { get; } = [];

    /// <summary>See <see cref="SecuritySettings.RevocationPollInterval"/>.</summary>
    public TimeSpan RevocationPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>See <see cref="SecuritySettings.IntrospectionClientId"/>.</summary>
    public string? IntrospectionClientId { get; set; }

    /// <summary>See <see cref="SecuritySettings.IntrospectionClientSecret"/>.</summary>
    public string? IntrospectionClientSecret { get; set; }

    /// <summary>See <see cref="SecuritySettings.IntrospectionCache"/>.</summary>
    public TimeSpan IntrospectionCache { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>See <see cref="SecuritySettings.RevocationGrace"/>.</summary>
    public TimeSpan RevocationGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The issuer as an absolute URI, or null when it is not one.</summary>
    public Uri? IssuerUri => Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>The discovery document address: issuer + <c>/.well-known/openid-configuration</c>.</summary>
    public string DiscoveryAddress => Issuer!.TrimEnd('/') + "/.well-known/openid-configuration";

    /// <summary>True when the issuer is plain http (keys may then be fetched without TLS).</summary>
    public bool IssuerIsHttp => IssuerUri?.Scheme == Uri.UriSchemeHttp;
}
