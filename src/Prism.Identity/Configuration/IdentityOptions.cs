using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Identity.Configuration;

/// <summary>
/// Prism's own identity settings (the ones a Dex file cannot express), read with the typed
/// accessors of <see cref="IdentitySettings"/>: a malformed value stops start-up with a
/// <see cref="ConfigurationException"/> naming the key and variable; <see cref="IdentityOptionsValidator"/>
/// checks what a type cannot (the issuer's path).
/// </summary>
public sealed class IdentityOptions
{
    /// <summary>Issuer override (<see cref="IdentitySettings.Issuer"/>), or null to use the Dex file's.</summary>
    public string? Issuer { get; set; }

    /// <summary>Groups per client id for client_credentials tokens (<see cref="IdentitySettings.ClientGroups"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClientGroups { get; set; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Extra access-token audiences (<see cref="IdentitySettings.Audiences"/>).</summary>
    public IReadOnlyList<string> Audiences { get; set; } = [];

    /// <summary>Signing-key rotation age (<see cref="IdentitySettings.SigningKeyRotation"/>).</summary>
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Failures before throttling (<see cref="IdentitySettings.LockoutThreshold"/>).</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>Failure counting window (<see cref="IdentitySettings.LockoutWindow"/>).</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Entries each sign-in throttle table holds at most (oldest dropped first).</summary>
    public int ThrottleCapacity { get; set; } = 10_000;

    /// <summary>Token requests per client address and minute (<see cref="IdentitySettings.TokenRateLimit"/>).</summary>
    public int TokenRateLimit { get; set; } = 120;

    /// <summary>How often the token store is pruned (<see cref="IdentitySettings.PruneInterval"/>).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    /// <exception cref="ConfigurationException">A value of the wrong type.</exception>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Issuer = IdentitySettings.Issuer.Text(configuration) is { Length: > 0 } issuer ? issuer : null;
        ClientGroups = IdentitySettings.ClientGroups.KeyedLists(configuration);
        Audiences = IdentitySettings.Audiences.List(configuration);
        SigningKeyRotation = IdentitySettings.SigningKeyRotation.Duration(configuration);
        LockoutThreshold = IdentitySettings.LockoutThreshold.PositiveInt(configuration);
        LockoutWindow = IdentitySettings.LockoutWindow.Duration(configuration);
        TokenRateLimit = IdentitySettings.TokenRateLimit.PositiveInt(configuration);
        PruneInterval = IdentitySettings.PruneInterval.Duration(configuration);
    }
}
