using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Prism.Identity.Configuration;

/// <summary>
/// Prism's own identity settings (the ones a Dex file cannot express), as read from configuration.
/// Raw text is kept so <see cref="IdentityOptionsValidator"/> can name the bad key; the typed
/// accessors are used after validation.
/// </summary>
public sealed class IdentityOptions
{
    /// <summary>Issuer override (<see cref="IdentitySettings.Issuer"/>), or null to use the Dex file's.</summary>
    public string? Issuer { get; set; }

    /// <summary>Raw <see cref="IdentitySettings.ClientGroups"/>.</summary>
    public string? ClientGroups { get; set; }

    /// <summary>Raw <see cref="IdentitySettings.Audiences"/>.</summary>
    public string? Audiences { get; set; }

    /// <summary>Raw <see cref="IdentitySettings.SigningKeyRotation"/>.</summary>
    public string? SigningKeyRotation { get; set; }

    /// <summary>Raw <see cref="IdentitySettings.LockoutThreshold"/>.</summary>
    public string? LockoutThreshold { get; set; }

    /// <summary>Raw <see cref="IdentitySettings.LockoutWindow"/>.</summary>
    public string? LockoutWindow { get; set; }

    /// <summary>Groups per client id for client_credentials tokens.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ParsedClientGroups => ParseClientGroups(ClientGroups) ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Extra access-token audiences.</summary>
    public IReadOnlyList<string> ParsedAudiences =>
        [.. (Audiences ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Signing-key rotation age.</summary>
    public TimeSpan ParsedSigningKeyRotation => GoDuration.TryParse(SigningKeyRotation, out var value) ? value : TimeSpan.FromDays(30);

    /// <summary>Failures before throttling.</summary>
    public int ParsedLockoutThreshold => int.TryParse(LockoutThreshold, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 5;

    /// <summary>Failure counting window.</summary>
    public TimeSpan ParsedLockoutWindow => GoDuration.TryParse(LockoutWindow, out var value) ? value : TimeSpan.FromMinutes(15);

    /// <summary>Reads the options from <paramref name="configuration"/>.</summary>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Issuer = configuration[IdentitySettings.Issuer.Key];
        ClientGroups = configuration[IdentitySettings.ClientGroups.Key];
        Audiences = configuration[IdentitySettings.Audiences.Key];
        SigningKeyRotation = configuration[IdentitySettings.SigningKeyRotation.Key];
        LockoutThreshold = configuration[IdentitySettings.LockoutThreshold.Key];
        LockoutWindow = configuration[IdentitySettings.LockoutWindow.Key];
    }

    /// <summary>Parses <c>client=group,group;client2=group</c>; null when malformed.</summary>
    internal static Dictionary<string, IReadOnlyList<string>>? ParseClientGroups(string? text)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            result[entry[..equals].Trim()] = [.. entry[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        return result;
    }
}
