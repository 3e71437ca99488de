using System.Globalization;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;
using Prism.Security;
using Prism.WebConsole.Auth;

namespace Prism.WebConsole;

/// <summary>The console's configuration, resolved and checked once at start.</summary>
/// <param name="PublicUrl">Where people reach the console (scheme, host and port; no path).</param>
/// <param name="AdminUrl">gRPC address of the admin control plane.</param>
/// <param name="Issuer">OIDC issuer people sign in with.</param>
/// <param name="ClientId">OIDC client id of the console.</param>
/// <param name="ClientSecret">OIDC client secret of the console.</param>
public sealed record ConsoleOptions(Uri PublicUrl, Uri AdminUrl, Uri Issuer, string ClientId, string ClientSecret)
{
    /// <summary>Configuration key of the admin module's port, used for the default <see cref="AdminUrl"/>.</summary>
    internal const string AdminPortKey = "admin:port";

    // The admin module declares this setting; the console (which does not reference it) reads the same key for its default admin address.
    private static readonly Setting AdminPort = new("PRISM_ADMIN_PORT", AdminPortKey, "8981", "gRPC port of the admin control plane.");

    /// <summary>True when the secret is the built-in development one.</summary>
    public bool UsesDevelopmentSecret => ClientSecret == ConsoleSettings.DevelopmentClientSecret;

    /// <summary>True when session cookies can carry the Secure flag: the console is served over https.</summary>
    public bool IsHttps => PublicUrl.Scheme == Uri.UriSchemeHttps;

    /// <summary>Reads the options with the settings' typed accessors; a malformed value throws naming the setting.</summary>
    /// <exception cref="ConfigurationException">A URL is not absolute http(s), or a required value is empty.</exception>
    public static ConsoleOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var port = ConsoleSettings.Port.Port(configuration);
        var tls = CoreSettings.TlsCertificate.IsSet(configuration);
        var publicUrl = ConsoleSettings.PublicUrl.IsSet(configuration)
            ? ConsoleSettings.PublicUrl.Url(configuration)
            : new Uri(string.Create(CultureInfo.InvariantCulture, $"{(tls ? "https" : "http")}://localhost:{port}"));
        if (publicUrl.AbsolutePath != "/" || !string.IsNullOrEmpty(publicUrl.Query))
        {
            throw ConfigurationException.Invalid(ConsoleSettings.PublicUrl, publicUrl.ToString(), "scheme, host and port only (no path)");
        }

        var adminUrl = ConsoleSettings.AdminUrl.IsSet(configuration)
            ? ConsoleSettings.AdminUrl.Url(configuration)
            : new Uri(string.Create(CultureInfo.InvariantCulture, $"{(tls ? "https" : "http")}://127.0.0.1:{AdminPort.Port(configuration, allowZero: false)}"));
        return new ConsoleOptions(publicUrl, adminUrl, SecuritySettings.Issuer.Url(configuration),
            ConsoleSettings.ClientId.RequiredText(configuration), ConsoleSettings.ClientSecret.RequiredText(configuration));
    }

    /// <summary>The redirect URI registered with the identity provider: the public URL + <c>/signin-oidc</c>.</summary>
    public Uri RedirectUri => new(PublicUrl, ConsoleAuthentication.CallbackPath);
}
