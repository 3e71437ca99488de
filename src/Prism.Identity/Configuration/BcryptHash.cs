using System.Text.RegularExpressions;

namespace Prism.Identity.Configuration;

/// <summary>Recognises the modular-crypt bcrypt format Dex accepts (<c>$2a$</c>, <c>$2b$</c>, <c>$2y$</c>, cost 4–31, 53 characters of salt and hash).</summary>
internal static partial class BcryptHash
{
    public static bool IsWellFormed(string hash) => Format().IsMatch(hash);

    [GeneratedRegex(@"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")]
    private static partial Regex Format();
}
