namespace Prism.Admin.Backends;

/// <summary>Removes secret values, and the user information of URLs, from a message before anyone sees it.</summary>
internal static class SecretScrubber
{
    public static string Scrub(string message, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
            if (Uri.TryCreate(secret, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
            {
                foreach (var part in uri.UserInfo.Split(':').Select(Uri.UnescapeDataString).Where(p => p.Length >= 4))
                {
                    message = message.Replace(part, "***", StringComparison.Ordinal);
                }
            }
        }

        return message;
    }
}
