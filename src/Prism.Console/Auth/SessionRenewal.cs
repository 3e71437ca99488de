using System.Globalization;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Prism.WebConsole.Auth;

/// <summary>
/// Keeps a console session's access token fresh: shortly before it expires, the refresh token buys a
/// new one at the issuer's token endpoint and the cookie is rewritten. A session whose token cannot be
/// renewed ends, so the next page signs in again.
/// </summary>
internal static partial class SessionRenewal
{
    /// <summary>A token with less than this left is renewed before it is used.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (ExpiresAt(context.Properties) is not { } expires || expires - now > Margin)
        {
            return;
        }

        if (context.Properties.GetTokenValue("refresh_token") is { Length: > 0 } refreshToken
            && await RefreshAsync(context, refreshToken, now) is { } renewed)
        {
            context.Properties.UpdateTokenValue("access_token", renewed.AccessToken!);
            context.Properties.UpdateTokenValue("refresh_token", renewed.RefreshToken ?? refreshToken);
            context.Properties.UpdateTokenValue("expires_at", now.AddSeconds(renewed.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
            context.ShouldRenew = true;
            return;
        }

        if (expires <= now)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static DateTimeOffset? ExpiresAt(AuthenticationProperties properties) =>
        properties.GetTokenValue("expires_at") is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            ? expires
            : null;

    private static async Task<TokenResponse?> RefreshAsync(CookieValidatePrincipalContext context, string refreshToken, DateTimeOffset now)
    {
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionRenewal));
        var oidc = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted);
            var response = await oidc.Backchannel.RequestRefreshTokenAsync(new RefreshTokenRequest
            {
                Address = configuration.TokenEndpoint,
                ClientId = oidc.ClientId!,
                ClientSecret = oidc.ClientSecret,
                RefreshToken = refreshToken,
            }, context.HttpContext.RequestAborted);
            if (!response.IsError && !string.IsNullOrEmpty(response.AccessToken))
            {
                LogRenewed(logger, context.Principal?.FindFirst(ConsoleAuthentication.NameClaim)?.Value ?? "unknown", now.AddSeconds(response.ExpiresIn));
                return response;
            }

            LogRenewalRefused(logger, response.Error ?? "no access token in the answer");
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException)
        {
            LogRenewalRefused(logger, e.Message);
        }

        return null;
    }

    [LoggerMessage(EventId = 11, EventName = "SessionRenewed", Level = LogLevel.Debug, Message = "Renewed the access token of {User}'s console session until {ExpiresAt:o}")]
    private static partial void LogRenewed(ILogger logger, string user, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 12, EventName = "SessionRenewalRefused", Level = LogLevel.Information, Message = "A console session's token could not be renewed ({Reason}); it ends when its token expires")]
    private static partial void LogRenewalRefused(ILogger logger, string reason);
}
