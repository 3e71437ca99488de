using Grpc.Core;
using Prism.Admin.Audit;
using Prism.Admin.Configs;
using Prism.Admin.Namespaces;
using Prism.Admin.Operations;
using Prism.Admin.Paging;
using Prism.ControlStore;
using Prism.Admin.V1;
using Prism.Admin.Apply;
using Prism.Admin.Backends;
using Prism.Admin.Queues;

namespace Prism.Admin.Grpc;

/// <summary>
/// prism.admin.v1.AdminService on the wire. It only translates: authentication, audit and the
/// mapping of failures to status codes happen in <see cref="AdminCallInterceptor"/>, the rules in
/// the domain services.
/// </summary>
internal sealed partial class AdminGrpcService(
    NamespaceCatalog namespaces,
    ConfigCatalog configs,
    SessionDirectory sessions,
    ControlPlane control,
    AdminMetrics metrics,
    AuditReader audit,
    BackendInstanceCatalog backends,
    DeclarativeApply apply,
    DeadLetterCatalog deadLetters,
    PageCursor cursor) : AdminService.AdminServiceBase
{
    public override async Task<ListNamespacesResponse> ListNamespaces(ListNamespacesRequest request, ServerCallContext context)
    {
        var page = await namespaces.ListAsync(context.Caller(), Page("namespaces", request.PageSize, request.PageToken), context.CancellationToken);
        var response = new ListNamespacesResponse { NextPageToken = cursor.Encode("namespaces", page.LastKey) };
        response.Namespaces.AddRange(page.Items.Select(n => n.ToWire()));
        return response;
    }

    public override async Task<GetNamespaceResponse> GetNamespace(GetNamespaceRequest request, ServerCallContext context) =>
        new() { Namespace = (await namespaces.GetAsync(context.Caller(), request.Name, context.CancellationToken)).ToWire() };

    public override async Task<CreateNamespaceResponse> CreateNamespace(CreateNamespaceRequest request, ServerCallContext context) =>
        new() { Namespace = (await namespaces.CreateAsync(context.Caller(), request.Namespace.ToRecord(), request.ValidateOnly, context.CancellationToken)).ToWire() };

    public override async Task<UpdateNamespaceResponse> UpdateNamespace(UpdateNamespaceRequest request, ServerCallContext context) =>
        new() { Namespace = (await namespaces.UpdateAsync(context.Caller(), request.Namespace.ToRecord(), request.ValidateOnly, context.CancellationToken)).ToWire() };

    public override async Task<DeleteNamespaceResponse> DeleteNamespace(DeleteNamespaceRequest request, ServerCallContext context)
    {
        await namespaces.DeleteAsync(context.Caller(), request.Name, request.Version, context.CancellationToken);
        return new DeleteNamespaceResponse { Deleted = true };
    }

    public override async Task<ListConfigsResponse> ListConfigs(ListConfigsRequest request, ServerCallContext context)
    {
        var page = await configs.ListAsync(context.Caller(), Page("configs", request.PageSize, request.PageToken), context.CancellationToken);
        var response = new ListConfigsResponse { NextPageToken = cursor.Encode("configs", page.LastKey) };
        response.Configs.AddRange(page.Items.Select(c => c.ToWire()));
        return response;
    }

    public override async Task<GetConfigResponse> GetConfig(GetConfigRequest request, ServerCallContext context) =>
        new() { Config = (await configs.GetAsync(context.Caller(), request.Name, context.CancellationToken)).ToWire() };

    public override async Task<CreateConfigResponse> CreateConfig(CreateConfigRequest request, ServerCallContext context) =>
        new() { Config = (await configs.CreateAsync(context.Caller(), request.Config.ToRecord(), context.CancellationToken)).ToWire() };

    public override async Task<UpdateConfigResponse> UpdateConfig(UpdateConfigRequest request, ServerCallContext context) =>
        new() { Config = (await configs.UpdateAsync(context.Caller(), request.Config.ToRecord(), context.CancellationToken)).ToWire() };

    public override async Task<DeleteConfigResponse> DeleteConfig(DeleteConfigRequest request, ServerCallContext context)
    {
        await configs.DeleteAsync(context.Caller(), request.Name, request.Version, context.CancellationToken);
        return new DeleteConfigResponse { Deleted = true };
    }

    private PageRequest Page(string list, int size, string token) => new(PageCursor.Size(size), cursor.Decode(list, token));
}
