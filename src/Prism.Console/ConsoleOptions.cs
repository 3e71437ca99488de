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

    private const string DefaultAdminPort = "8981";

    /// <summary>True when the secret is the built-in development one.</summary>
    public bool UsesDevelopmentSecret => ClientSecret == ConsoleSettings.DevelopmentClientSecret;

    /// <summary>True when session cookies can carry the Secure flag: the console is served over https.</summary>
    public bool IsHttps => PublicUrl.Scheme == Uri.UriSchemeHttps;

    /// <summary>Reads the options; a malformed value throws naming the setting.</summary>
    /// <exception cref="InvalidOperationException">A URL is not absolute http(s), or a required value is empty.</exception>
    public static ConsoleOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var port = configuration[ConsoleSettings.Port.Key] ?? ConsoleSettings.Port.DefaultValue!;
        var tls = !string.IsNullOrEmpty(configuration[CoreSettings.TlsCertificate.Key]);
        var publicUrl = HttpUrl(ConsoleSettings.PublicUrl,
            configuration[ConsoleSettings.PublicUrl.Key] is { Length: > 0 } configured
                ? configured
                : string.Create(CultureInfo.InvariantCulture, $"{(tls ? "https" : "http")}://localhost:{port}"));
        if (publicUrl.AbsolutePath != "/" || !string.IsNullOrEmpty(publicUrl.Query))
        {
            throw new InvalidOperationException($"{ConsoleSettings.PublicUrl.Display} must be scheme, host and port only (no path): '{publicUrl}'.");
        }

        var adminUrl = HttpUrl(ConsoleSettings.AdminUrl,
            configuration[ConsoleSettings.AdminUrl.Key] is { Length: > 0 } admin
                ? admin
                : "http://127.0.0.1:" + (configuration[AdminPortKey] is { Length: > 0 } adminPort ? adminPort : DefaultAdminPort));
        var issuer = HttpUrl(SecuritySettings.Issuer, configuration[SecuritySettings.Issuer.Key] ?? SecuritySettings.Issuer.DefaultValue!);
        return new ConsoleOptions(publicUrl, adminUrl, issuer,
            Required(configuration, ConsoleSettings.ClientId), Required(configuration, ConsoleSettings.ClientSecret));
    }

    /// <summary>The redirect URI registered with the identity provider: the public URL + <c>/signin-oidc</c>.</summary>
    public Uri RedirectUri => new(PublicUrl, ConsoleAuthentication.CallbackPath);

    private static Uri HttpUrl(Setting setting, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{setting.Display} must be an absolute http or https URL: '{text}'.");

    private static string Required(IConfiguration configuration, Setting setting) =>
        configuration[setting.Key] is { Length: > 0 } value ? value : throw new InvalidOperationException($"{setting.Display} must not be empty.");
}
