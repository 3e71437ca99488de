using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Prism.ControlStore;
using Prism.Admin.V1;

namespace Prism.Admin.Grpc;

internal sealed partial class AdminGrpcService
{
    public override async Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var filter = request.Namespace.Length > 0 ? request.Namespace : null;
        var page = await sessions.ListAsync(context.Caller(), Page("sessions", request.PageSize, request.PageToken), filter, request.IncludeInactive, context.CancellationToken);
        var response = new ListSessionsResponse { NextPageToken = cursor.Encode("sessions", page.LastKey) };
        var leases = await sessions.LeasesOfAsync(page.Items, context.CancellationToken);
        response.Sessions.AddRange(page.Items.Select(s => s.ToWire(leases[s.Id])));
        return response;
    }

    public override async Task<GetSessionResponse> GetSession(GetSessionRequest request, ServerCallContext context)
    {
        var session = await sessions.GetAsync(context.Caller(), request.Id, context.CancellationToken);
        return new() { Session = session.ToWire((await sessions.LeasesOfAsync([session], context.CancellationToken))[session.Id]) };
    }

    public override async Task<TerminateSessionResponse> TerminateSession(TerminateSessionRequest request, ServerCallContext context)
    {
        if (request.Identity.Length > 0)
        {
            if (request.Id.Length > 0)
            {
                throw new Calls.AdminValidationException("identity", "give either a session id or an identity, not both");
            }

            var terminated = await sessions.TerminateIdentityAsync(context.Caller(), request.Identity, request.Reason, context.CancellationToken);
            var response = new TerminateSessionResponse();
            response.Sessions.AddRange(terminated.Select(s => s.ToWire([])));
            return response;
        }

        return new() { Session = (await sessions.TerminateAsync(context.Caller(), request.Id, request.Reason, context.CancellationToken)).ToWire([]) };
    }

    public override async Task<SetMaintenanceModeResponse> SetMaintenanceMode(SetMaintenanceModeRequest request, ServerCallContext context) =>
        new() { Maintenance = (await control.SetMaintenanceAsync(context.Caller(), request.Enabled, request.Message, context.CancellationToken)).ToWire() };

    public override async Task<GetMaintenanceModeResponse> GetMaintenanceMode(GetMaintenanceModeRequest request, ServerCallContext context) =>
        new() { Maintenance = (await control.GetMaintenanceAsync(context.Caller(), context.CancellationToken)).ToWire() };

    public override async Task<DrainConnectionsResponse> DrainConnections(DrainConnectionsRequest request, ServerCallContext context)
    {
        var (drain, active) = await control.DrainAsync(context.Caller(), request.TimeoutSeconds, request.Message, request.Cancel, context.CancellationToken);
        return new DrainConnectionsResponse
        {
            Draining = drain.Draining,
            Deadline = drain.Deadline is { } deadline ? Timestamp.FromDateTimeOffset(deadline) : null,
            ActiveSessions = active,
        };
    }

    public override async Task<GetMetricsResponse> GetMetrics(GetMetricsRequest request, ServerCallContext context)
    {
        var response = new GetMetricsResponse { CollectedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
        foreach (var metric in await metrics.CollectAsync(context.Caller(), context.CancellationToken))
        {
            var wire = new Metric { Name = metric.Name, Value = metric.Value };
            if (metric.Labels is not null)
            {
                wire.Labels.AddAll(metric.Labels);
            }

            response.Metrics.Add(wire);
        }

        return response;
    }

    public override async Task GetAuditLog(GetAuditLogRequest request, IServerStreamWriter<AuditLogEntry> responseStream, ServerCallContext context)
    {
        var query = new AuditQuery(
            NullIfEmpty(request.Actor), NullIfEmpty(request.Operation), NullIfEmpty(request.Namespace),
            request.Since.ToOptionalTime(), request.Until.ToOptionalTime(), Limit: request.Limit, NewestFirst: request.NewestFirst);
        await foreach (var entry in audit.ReadAsync(context.Caller(), query, request.Follow, context.CancellationToken))
        {
            await responseStream.WriteAsync(entry.ToWire(), context.CancellationToken);
        }
    }

    public override async Task ExportAuditLog(ExportAuditLogRequest request, IServerStreamWriter<AuditLogEntry> responseStream, ServerCallContext context)
    {
        await foreach (var entry in audit.ExportAsync(context.Caller(), request.Since.ToOptionalTime(), request.Until.ToOptionalTime(), context.CancellationToken))
        {
            await responseStream.WriteAsync(entry.ToWire(), context.CancellationToken);
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
