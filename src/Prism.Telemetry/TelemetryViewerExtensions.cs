using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prism.Telemetry.Api;
using Prism.Telemetry.Otlp;
using Prism.Telemetry.Store;
using Prism.Telemetry.Ui;

namespace Prism.Telemetry;

/// <summary>Registration and endpoints of the telemetry viewer.</summary>
public static class TelemetryViewerExtensions
{
    /// <summary>Registers the store (limits from <paramref name="configuration"/>, validated at start), the OTLP intake and gRPC.</summary>
    public static IServiceCollection AddPrismTelemetryViewer(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<StoreLimits>().Configure(o => o.ReadFrom(configuration)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreLimits>, StoreLimitsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<StoreLimits>>().Value);
        services.TryAddSingleton<AttributeLimiter>();
        services.TryAddSingleton<TelemetryStore>();
        services.TryAddSingleton<OtlpConverter>();
        services.TryAddSingleton<OtlpIngest>();
        var intake = IntakeLimits.ReadFrom(configuration);
        services.TryAddSingleton(intake);
        services.TryAddSingleton<ExportGate>();
        services.AddGrpc(o => o.MaxReceiveMessageSize = intake.MaxBodyBytes);
        return services;
    }

    /// <summary>Maps the OTLP receivers, the JSON API, the pages and <c>/healthz</c>, each on its own listener.</summary>
    public static WebApplication MapPrismTelemetryViewer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var roles = new ListenerRoles(app);
        app.Use((context, next) =>
        {
            if (roles.Allows(context))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        var gate = app.Services.GetRequiredService<ExportGate>();
        app.Use((context, next) => gate.InvokeAsync(context, next));
        app.MapGrpcService<OtlpGrpcTraceService>();
        app.MapGrpcService<OtlpGrpcMetricsService>();
        app.MapGrpcService<OtlpGrpcLogsService>();
        app.MapOtlpHttp();
        app.MapViewerApi();
        app.MapViewerPages();
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
