using Prism.Client;
using PrismService;
using PrismService.Auth;
using PrismService.Health;
using PrismService.Items;
using PrismService.Telemetry;

var builder = WebApplication.CreateBuilder(args);

// The service's port and the Prometheus port, as Prism's modules do (their metrics listener is 9090).
var ports = ServicePorts.Read(builder.Configuration);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenAnyIP(ports.Http);
    if (ports.Metrics > 0)
    {
        kestrel.ListenAnyIP(ports.Metrics);
    }
});

builder.AddServiceTelemetry();
builder.Services.AddPrismTokenValidation(builder.Configuration, builder.Environment);
// Endpoint, namespace and credentials from the "Prism" section, else the PRISM_* variables (docs/client.md).
builder.Services.AddPrismClient(builder.Configuration.GetSection("Prism"));
builder.Services.AddHealthChecks().AddCheck<IssuerHealthCheck>("issuer", tags: [HealthEndpoints.ReadyTag]);

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.MapHealthEndpoints();
app.MapMetricsEndpoint(ports);
app.MapItemEndpoints();

app.Run();
