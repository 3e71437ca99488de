using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using Prism.Identity.Storage;

namespace Prism.Identity.Endpoints;

/// <summary><c>/dex/healthz</c>: 200 when the store answers a query, 503 otherwise.</summary>
internal static class HealthEndpoint
{
    public static async Task<IResult> HandleAsync(IdentityStoreContext store, IdentityStoreReadiness readiness, CancellationToken cancellationToken)
    {
        try
        {
            await readiness.Ready.WaitAsync(cancellationToken);
            await store.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(cancellationToken);
            return Results.Text("ok");
        }
        catch (Exception e) when (readiness.Ready.IsFaulted || e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or DbUpdateException)
        {
            return Results.Text("store unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
