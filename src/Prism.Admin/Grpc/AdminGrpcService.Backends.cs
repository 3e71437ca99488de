using Grpc.Core;
using Prism.Admin.V1;

namespace Prism.Admin.Grpc;

internal sealed partial class AdminGrpcService
{
    public override async Task<ListBackendsResponse> ListBackends(ListBackendsRequest request, ServerCallContext context)
    {
        var response = new ListBackendsResponse();
        response.Backends.AddRange((await backends.ListAsync(context.Caller(), context.CancellationToken)).Select(b => b.ToWire()));
        return response;
    }

    public override async Task<GetBackendStatusResponse> GetBackendStatus(GetBackendStatusRequest request, ServerCallContext context)
    {
        var response = new GetBackendStatusResponse();
        response.Statuses.AddRange((await backends.StatusAsync(context.Caller(), request.Names, context.CancellationToken)).Select(c => c.ToWire()));
        return response;
    }

    public override async Task<GetBackendResponse> GetBackend(GetBackendRequest request, ServerCallContext context) =>
        new() { Backend = (await backends.GetAsync(context.Caller(), request.Name, context.CancellationToken)).ToWire() };

    public override async Task<CreateBackendResponse> CreateBackend(CreateBackendRequest request, ServerCallContext context) =>
        new() { Backend = (await backends.CreateAsync(context.Caller(), request.Backend.ToDraft(), request.ValidateOnly, context.CancellationToken)).ToWire() };

    public override async Task<UpdateBackendResponse> UpdateBackend(UpdateBackendRequest request, ServerCallContext context) =>
        new() { Backend = (await backends.UpdateAsync(context.Caller(), request.Backend.ToDraft(), request.ValidateOnly, context.CancellationToken)).ToWire() };

    public override async Task<DeleteBackendResponse> DeleteBackend(DeleteBackendRequest request, ServerCallContext context)
    {
        await backends.DeleteAsync(context.Caller(), request.Name, request.Version, context.CancellationToken);
        return new DeleteBackendResponse { Deleted = true };
    }

    public override async Task<ApplyResponse> Apply(ApplyRequest request, ServerCallContext context)
    {
        var outcomes = await apply.ApplyAsync(context.Caller(), [.. request.Backends.Select(b => b.ToDraft())], [.. request.Namespaces.Select(n => n.ToRecord())],
            request.ValidateOnly, context.CancellationToken);
        var response = new ApplyResponse();
        response.Results.AddRange(outcomes.Select(o => new ApplyResult { Kind = o.Kind, Name = o.Name, Action = o.Action, Version = o.Version }));
        return response;
    }
}
