using System.Security.Claims;
using Grpc.Core;
using Prism.Client;

namespace PrismService.Items;

/// <summary>
/// The example API: items stored as <c>item:{id}</c> in the KeyValue store of the service's Prism namespace,
/// through the data proxy. Replace it with your own; the pattern (a typed client from DI, statuses of the
/// proxy mapped to HTTP) stays.
/// </summary>
public static class ItemEndpoints
{
    private const int MaxBytes = 64 * 1024;

    public static void MapItemEndpoints(this WebApplication app)
    {
        var items = app.MapGroup("/items");

        items.MapPut("/{id}", async (string id, HttpRequest request, PrismKeyValueClient kv, ClaimsPrincipal caller, ILogger<Item> log, CancellationToken cancel) =>
        {
            var value = await ReadAtMostAsync(request.Body, MaxBytes, cancel);
            if (value is null)
            {
                return Results.Problem($"an item is at most {MaxBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            await kv.SetAsync(Key(id), value, cancel);
            log.LogInformation("item {Id} stored by {Caller}", id, caller.Identity?.Name);
            return Results.NoContent();
        });

        items.MapGet("/{id}", async (string id, PrismKeyValueClient kv, CancellationToken cancel) =>
        {
            var value = await kv.GetAsync(Key(id), cancel);
            return value is null ? Results.NotFound() : Results.Bytes(value, "application/octet-stream");
        });

        items.MapDelete("/{id}", async (string id, PrismKeyValueClient kv, CancellationToken cancel) =>
        {
            await kv.DeleteAsync(Key(id), cancel);
            return Results.NoContent();
        });

        // The proxy refused or failed: say so in HTTP terms, without the proxy's details.
        items.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (RpcException error)
            {
                context.HttpContext.RequestServices.GetRequiredService<ILogger<Item>>()
                    .LogWarning("the Prism proxy answered {Status}: {Detail}", error.StatusCode, error.Status.Detail);
                return error.StatusCode switch
                {
                    StatusCode.InvalidArgument => Results.Problem("invalid item id or value", statusCode: StatusCodes.Status400BadRequest),
                    StatusCode.Unavailable or StatusCode.DeadlineExceeded => Results.Problem("storage unavailable", statusCode: StatusCodes.Status503ServiceUnavailable),
                    _ => Results.Problem("storage error", statusCode: StatusCodes.Status502BadGateway),
                };
            }
        });
    }

    private static string Key(string id) => "item:" + id;

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int limit, CancellationToken cancel)
    {
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancel)) > 0)
        {
            length += read;
        }

        return length > limit ? null : buffer[..length];
    }

    /// <summary>Category of this API's log lines.</summary>
    public sealed class Item;
}
