using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prism.Hosting.Modules;

namespace Prism.Telemetry;

/// <summary>
/// Keeps each of the module's three listeners to its job: the UI port serves pages and the API,
/// the OTLP/gRPC port only the collector services, the OTLP/HTTP port only <c>/v1/*</c>.
/// Ports are known once Kestrel has bound them (port 0 in tests), so they are read lazily.
/// </summary>
internal sealed class ListenerRoles(WebApplication app)
{
    private int[]? _ports;

    private enum Role
    {
        Ui,
        OtlpGrpc,
        OtlpHttp,
    }

    public bool Allows(HttpContext context)
    {
        _ports ??= ModuleHost.BoundAddresses(app).Select(a => a.Port).ToArray();
        var role = (Role)Math.Max(0, Array.IndexOf(_ports, context.Connection.LocalPort));
        var path = context.Request.Path.Value ?? "";
        var grpc = path.StartsWith("/opentelemetry.proto.collector.", StringComparison.Ordinal);
        var http = path.StartsWith("/v1/", StringComparison.Ordinal);
        return role switch
        {
            Role.OtlpGrpc => grpc,
            Role.OtlpHttp => http,
            _ => !grpc && !http,
        };
    }
}
