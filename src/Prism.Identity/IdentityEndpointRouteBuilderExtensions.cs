using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prism.Identity.Endpoints;

namespace Prism.Identity;

/// <summary>Maps the identity provider's application endpoints; OpenIddict serves discovery, JWKS, device authorization, revocation and introspection itself.</summary>
public static class IdentityEndpointRouteBuilderExtensions
{
    /// <summary>Adds the authentication middleware OpenIddict runs in and maps the pass-through endpoints.</summary>
    public static WebApplication MapPrismIdentity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.MapPost(IdentityEndpoints.Token, TokenEndpoint.HandleAsync);
        app.MapMethods(IdentityEndpoints.Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.HandleAsync);
        app.MapMethods(IdentityEndpoints.Device, [HttpMethods.Get, HttpMethods.Post], DeviceVerificationEndpoint.HandleAsync);
        app.MapGet(IdentityEndpoints.DeviceDone, (Delegate)DeviceVerificationEndpoint.Done);
        app.MapMethods(IdentityEndpoints.UserInfo, [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoEndpoint.HandleAsync);
        app.MapGet(IdentityEndpoints.Health, HealthEndpoint.HandleAsync);
        return app;
    }
}
