using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Prism.Hosting.Tls;

namespace Prism.WebConsole.Auth;

/// <summary>
/// Sign-in: ASP.NET Core's OpenID Connect handler (authorization code + PKCE, confidential client)
/// against the configured issuer, and an encrypted HttpOnly SameSite=Lax session cookie that keeps
/// the tokens it needs (<see cref="CompactSession"/>). The access token is renewed with the refresh token before it expires
/// (<see cref="SessionRenewal"/>); the session lasts at most <see cref="SessionLifetime"/>.
/// </summary>
public static partial class ConsoleAuthentication
{
    /// <summary>Path the identity provider redirects back to; the redirect URI is the public URL + this.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Name of the session cookie.</summary>
    public const string CookieName = "prism-console";

    /// <summary>Claim that names the user on pages (and in admin's audit, from the access token).</summary>
    public const string NameClaim = "email";

    /// <summary>Longest a sign-in lasts, however often its token is renewed: a working day.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>Scopes asked for: the profile, the groups admin maps to roles, and a refresh token.</summary>
    public static IReadOnlyList<string> Scopes { get; } = ["openid", "email", "profile", "groups", "offline_access"];

    /// <summary>Registers cookie and OpenID Connect authentication.</summary>
    public static IServiceCollection AddConsoleAuthentication(this IServiceCollection services, ConsoleOptions options, OutboundTls tls)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tls);
        var secure = options.IsHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = secure;
                o.SlidingExpiration = false;
                o.ExpireTimeSpan = SessionLifetime;
                o.Events.OnValidatePrincipal = SessionRenewal.ValidateAsync;
                o.Events.OnSigningIn = CompactSession.TrimAsync;
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = options.Issuer.ToString().TrimEnd('/');
                // Discovery, JWKS, code and refresh exchanges trust PRISM_TLS_CA_FILE too.
                o.BackchannelHttpHandler = tls.CreateHandler();
                o.RequireHttpsMetadata = options.Issuer.Scheme == Uri.UriSchemeHttps;
                o.ClientId = options.ClientId;
                o.ClientSecret = options.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // A top-level GET back to the console, so SameSite=Lax cookies come along (form_post would need SameSite=None).
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var scope in Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.SaveTokens = true;
                o.UseTokenLifetime = false; // the cookie outlives one access token: SessionRenewal renews it
                o.GetClaimsFromUserInfoEndpoint = false;
                o.MapInboundClaims = false;
                o.DisableTelemetry = true;
                o.TokenValidationParameters.NameClaimType = NameClaim;
                o.CallbackPath = CallbackPath;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = secure;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = secure;
                o.Events.OnRedirectToIdentityProvider = AnswerHtmxWithFullNavigation;
                o.Events.OnRemoteFailure = ShowRemoteFailure;
                o.Events.OnTokenValidated = CountSignIn;
            });
        return services;
    }

    /// <summary>
    /// An HTMX request cannot follow a redirect to another origin's login page: tell htmx to load the
    /// page the user is on instead, which then signs them in as a normal navigation.
    /// </summary>
    private static Task AnswerHtmxWithFullNavigation(RedirectContext context)
    {
        var request = context.Request;
        if (request.Headers["HX-Request"] != "true")
        {
            return Task.CompletedTask;
        }

        var current = request.Headers["HX-Current-URL"].ToString();
        var sameOrigin = Uri.TryCreate(current, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers["HX-Redirect"] = sameOrigin ? uri!.PathAndQuery : "/";
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static Task CountSignIn(TokenValidatedContext context)
    {
        ConsoleTelemetry.SignedIn();
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleAuthentication));
        LogSignedIn(logger, context.Principal?.FindFirst(NameClaim)?.Value ?? "unknown");
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 10, EventName = "SignedIn", Level = LogLevel.Information, Message = "{User} signed in to the console")]
    private static partial void LogSignedIn(ILogger logger, string user);

    private static async Task ShowRemoteFailure(RemoteFailureContext context)
    {
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Pages.Html.Bare("Sign-in failed",
            $"<p class=\"error\" role=\"alert\">The identity provider did not sign you in: {Pages.Html.E(context.Failure?.Message)}</p>" +
            "<p><a href=\"/\">Try again</a></p>"));
    }
}
