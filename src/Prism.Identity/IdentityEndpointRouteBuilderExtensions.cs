using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Prism.Identity.Endpoints;
using Prism.Identity.Storage;

namespace Prism.Identity;

/// <summary>Maps the identity provider's application endpoints; OpenIddict serves discovery, JWKS, device authorization, revocation and introspection itself.</summary>
public static class IdentityEndpointRouteBuilderExtensions
{
    /// <summary>Adds the authentication middleware OpenIddict runs in and maps the pass-through endpoints.</summary>
    public static WebApplication MapPrismIdentity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var readiness = app.Services.GetRequiredService<IdentityStoreReadiness>();
        var durability = app.Services.GetRequiredService<IdentityDurability>();
        app.Use(async (context, next) =>
        {
            // Group commit: a response leaves only once the store writes of its request are on disk.
            var writes = IdentityDurability.Track();
            context.Response.OnStarting(() => writes.Wrote ? durability.FlushAsync() : Task.CompletedTask);
            await next(context);
        });
        app.Use(async (context, next) =>
        {
            // Discovery and JWKS need no store, health reports on it; the rest waits for the start-up preparation.
            var path = context.Request.Path;
            if (!path.Equals(IdentityEndpoints.Discovery, StringComparison.Ordinal) &&
                !path.Equals(IdentityEndpoints.Keys, StringComparison.Ordinal) &&
                !path.Equals(IdentityEndpoints.Health, StringComparison.Ordinal))
            {
                await readiness.Ready.WaitAsync(context.RequestAborted);
            }

            await next(context);
        });
        var throttle = app.Services.GetRequiredService<TokenRequestThrottle>();
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(IdentityEndpoints.Token, StringComparison.Ordinal)
                && await throttle.RefuseAsync(context))
            {
                return;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.MapPost(IdentityEndpoints.Token, TokenEndpoint.HandleAsync);
        app.MapMethods(IdentityEndpoints.Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.HandleAsync);
        app.MapMethods(IdentityEndpoints.Device, [HttpMethods.Get, HttpMethods.Post], DeviceVerificationEndpoint.HandleAsync);
        app.MapGet(IdentityEndpoints.DeviceDone, (Delegate)DeviceVerificationEndpoint.Done);
        app.MapMethods(IdentityEndpoints.UserInfo, [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoEndpoint.HandleAsync);
        app.MapGet(IdentityEndpoints.Health, HealthEndpoint.HandleAsync);
        app.MapGet(IdentityEndpoints.RevocationFeed, RevocationFeedEndpoint.HandleAsync);
        return app;
    }
}
