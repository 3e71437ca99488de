namespace Prism.Identity.Configuration;

/// <summary>
/// The subset of a Dex <c>config.yaml</c> that Prism's identity provider honours. Other Dex keys
/// (connectors, grpc, telemetry, frontend, logger, ...) are accepted and ignored.
/// </summary>
/// <param name="Source">Where the file came from: a path, or <see cref="DexConfigReader.BuiltInSource"/>.</param>
/// <param name="Issuer">The <c>issuer</c> URL, for example <c>http://localhost:5556/dex</c>.</param>
/// <param name="Storage">The <c>storage</c> section.</param>
/// <param name="HttpAddress">The <c>web.http</c> listen address (<c>host:port</c>), if any.</param>
/// <param name="Clients">The <c>staticClients</c>.</param>
/// <param name="EnablePasswordDb">The <c>enablePasswordDB</c> switch.</param>
/// <param name="Users">The <c>staticPasswords</c>.</param>
/// <param name="Expiry">The <c>expiry</c> section.</param>
/// <param name="SkipApprovalScreen">The <c>oauth2.skipApprovalScreen</c> switch.</param>
public sealed record DexConfig(
    string Source,
    Uri Issuer,
    DexStorage Storage,
    string? HttpAddress,
    IReadOnlyList<DexClient> Clients,
    bool EnablePasswordDb,
    IReadOnlyList<DexUser> Users,
    DexExpiry Expiry,
    bool SkipApprovalScreen)
{
    /// <summary>True when the configuration is the one shipped inside the assembly.</summary>
    public bool IsBuiltIn => Source == DexConfigReader.BuiltInSource;

    /// <summary>The port of <see cref="HttpAddress"/>, or null when absent.</summary>
    public int? HttpPort =>
        HttpAddress is { } address && address.LastIndexOf(':') is var colon and >= 0 &&
        int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? port
            : null;
}

/// <summary>Where OpenIddict's tables live.</summary>
/// <param name="InMemory">True for <c>type: memory</c>.</param>
/// <param name="File">For <c>type: sqlite3</c>, the <c>config.file</c> value (relative paths resolve under the data folder).</param>
public sealed record DexStorage(bool InMemory, string? File);

/// <summary>One <c>staticClients</c> entry.</summary>
public sealed record DexClient(string Id, string? Secret, string Name, IReadOnlyList<string> RedirectUris, bool Public);

/// <summary>One <c>staticPasswords</c> entry.</summary>
/// <param name="Email">Sign-in name.</param>
/// <param name="Hash">bcrypt hash of the password.</param>
/// <param name="Username">Display name.</param>
/// <param name="UserId">Stable id, the tokens' <c>sub</c>.</param>
/// <param name="Groups">Groups carried by the tokens.</param>
/// <param name="Disabled">Prism's <c>disabled: true</c>: the user cannot sign in or get tokens, and tokens already issued are refused.</param>
public sealed record DexUser(string Email, string Hash, string Username, string UserId, IReadOnlyList<string> Groups, bool Disabled = false);

/// <summary>Token lifetimes from the <c>expiry</c> section.</summary>
/// <param name="Tokens">From <c>idTokens</c>: lifetime of ID and access tokens.</param>
/// <param name="RefreshTokens">From <c>refreshTokens.absoluteLifetime</c>.</param>
/// <param name="DeviceRequests">From <c>deviceRequests</c>: lifetime of device and user codes.</param>
public sealed record DexExpiry(TimeSpan Tokens, TimeSpan RefreshTokens, TimeSpan DeviceRequests)
{
    /// <summary>Prism's defaults: 1 h tokens, 7 d refresh tokens, 5 min device requests.</summary>
    public static DexExpiry Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromDays(7), TimeSpan.FromMinutes(5));
}
