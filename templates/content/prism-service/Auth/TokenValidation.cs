using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PrismService.Auth;

/// <summary>
/// Bearer tokens checked as Prism's admin and proxy check them (docs/identity.md, "Tokens"): a signed JWT
/// with an asymmetric algorithm, <c>iss</c> the configured issuer, <c>aud</c> containing one of the
/// configured audiences, <c>exp</c> required (60 s clock skew), <c>sub</c> present, an access token and not
/// an ID token, <c>email_verified</c> not false; optionally the caller in one of <c>Auth:Groups</c>, as a
/// namespace's access_groups.
/// </summary>
public static class TokenValidation
{
    /// <summary>What Prism accepts: asymmetric signatures only (no none, no HMAC).</summary>
    public static readonly string[] AllowedAlgorithms =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    public static IServiceCollection AddPrismTokenValidation(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var issuer = configuration["Auth:Issuer"] ?? configuration["PRISM_OIDC_ISSUER"]
            ?? throw new InvalidOperationException("No token issuer: set Auth:Issuer (Auth__Issuer) or PRISM_OIDC_ISSUER to the Prism/OIDC issuer, e.g. http://localhost:5556/dex.");
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || issuerUri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Auth:Issuer must be an absolute http(s) URL, got '{issuer}'.");
        }

        // As Prism: plain http only for development or an issuer on this machine.
        var plainHttp = issuerUri.Scheme == "http";
        if (plainHttp && !environment.IsDevelopment() && !IsLoopback(issuerUri))
        {
            throw new InvalidOperationException($"Auth:Issuer {issuer} is plain http on a non-loopback host: use https (or ASPNETCORE_ENVIRONMENT=Development).");
        }

        var audiences = Split(configuration["Auth:Audiences"]);
        if (audiences.Length == 0)
        {
            throw new InvalidOperationException("No audience: set Auth:Audiences (Auth__Audiences), comma-separated; Prism's identity provider adds one to its tokens with PRISM_IDENTITY_AUDIENCES.");
        }

        var groups = Split(configuration["Auth:Groups"]);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.Authority = issuer;
            options.RequireHttpsMetadata = !plainHttp;
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudiences = audiences,
                ValidAlgorithms = AllowedAlgorithms,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(60),
                NameClaimType = "sub",
                RoleClaimType = "groups",
            };
            options.Events = new JwtBearerEvents { OnTokenValidated = CheckAccessToken };
        });

        services.AddAuthorizationBuilder().SetFallbackPolicy(CallerPolicy(groups));
        return services;
    }

    /// <summary>Every endpoint needs a valid token unless it says AllowAnonymous; with groups, one of them.</summary>
    private static AuthorizationPolicy CallerPolicy(string[] groups)
    {
        var policy = new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser();
        if (groups.Length > 0)
        {
            policy.RequireAssertion(context => context.User.FindAll("groups").Any(g => groups.Contains(g.Value, StringComparer.Ordinal)));
        }

        return policy.Build();
    }

    private static Task CheckAccessToken(TokenValidatedContext context)
    {
        if (context.SecurityToken is not JsonWebToken jwt)
        {
            context.Fail("not a JWT");
            return Task.CompletedTask;
        }

        var isAccessToken = jwt.TryGetHeaderValue<string>("typ", out var typ)
            && (string.Equals(typ, "at+jwt", StringComparison.OrdinalIgnoreCase) || string.Equals(typ, "application/at+jwt", StringComparison.OrdinalIgnoreCase));
        if (!isAccessToken && (jwt.TryGetPayloadValue<object>("at_hash", out _) || jwt.TryGetPayloadValue<object>("c_hash", out _)))
        {
            context.Fail("this is an ID token: present the access token as the bearer token");
        }
        else if (string.IsNullOrEmpty(jwt.Subject))
        {
            context.Fail("the token has no sub");
        }
        else if (jwt.TryGetPayloadValue<bool>("email_verified", out var verified) && !verified)
        {
            context.Fail("the token's email is not verified");
        }

        return Task.CompletedTask;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));

    private static string[] Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
