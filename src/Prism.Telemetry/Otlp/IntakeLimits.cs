using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Telemetry.Otlp;

/// <summary>
/// What the receivers take in at once: at most <see cref="MaxConcurrentExports"/> exports decoded together,
/// each at most <see cref="MaxBodyBytes"/>. With the store's budget, this bounds the module's memory.
/// </summary>
public sealed class IntakeLimits
{
    /// <summary>How long an export waits for a free slot before it is told to retry.</summary>
    public static readonly TimeSpan SlotWait = TimeSpan.FromSeconds(10);

    /// <summary>Most exports decoded and stored at once.</summary>
    public int MaxConcurrentExports { get; init; } = 4;

    /// <summary>Largest export accepted, in MiB (after decompression).</summary>
    public int MaxBodyMegabytes { get; init; } = 16;

    /// <summary><see cref="MaxBodyMegabytes"/> in bytes.</summary>
    public int MaxBodyBytes => MaxBodyMegabytes * 1024 * 1024;

    /// <summary>Reads the limits.</summary>
    /// <exception cref="ConfigurationException">A limit that is not a positive whole number, or a body limit over 1 GiB.</exception>
    public static IntakeLimits ReadFrom(IConfiguration configuration)
    {
        var body = ViewerSettings.MaxBodyMegabytes.PositiveInt(configuration);
        if (body > 1024)
        {
            throw ConfigurationException.Invalid(ViewerSettings.MaxBodyMegabytes, body.ToString(System.Globalization.CultureInfo.InvariantCulture), "a whole number of MiB from 1 to 1024");
        }

        return new IntakeLimits { MaxConcurrentExports = ViewerSettings.MaxConcurrentExports.PositiveInt(configuration), MaxBodyMegabytes = body };
    }
}

/// <summary>
/// The slots exports take while they are read, decoded and stored (<see cref="IntakeLimits.MaxConcurrentExports"/>).
/// Taken by middleware before gRPC or the HTTP endpoint reads the body, so waiting exports hold no body in memory.
/// </summary>
public sealed class ExportGate(IntakeLimits limits) : IDisposable
{
    /// <summary>Middleware: OTLP exports (gRPC or HTTP paths) wait for a slot; without one they are told to retry.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        var grpc = path.StartsWith("/opentelemetry.proto.collector.", StringComparison.Ordinal);
        if (!grpc && !path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        using var slot = await EnterAsync(context.RequestAborted).ConfigureAwait(false);
        if (slot is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        const string busy = "busy: too many exports at once; retry later";
        if (grpc)
        {
            // A trailers-only gRPC answer: UNAVAILABLE is what OTLP exporters retry.
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "14";
            context.Response.Headers["grpc-message"] = busy;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        await context.Response.WriteAsync(busy, context.RequestAborted).ConfigureAwait(false);
    }

    private readonly SemaphoreSlim _slots = new(limits.MaxConcurrentExports, limits.MaxConcurrentExports);

    /// <summary>Takes a slot, waiting up to <see cref="IntakeLimits.SlotWait"/>; null when none came free (the caller asks to retry).</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken cancellationToken)
    {
        return await _slots.WaitAsync(IntakeLimits.SlotWait, cancellationToken).ConfigureAwait(false) ? new Slot(_slots) : null;
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
