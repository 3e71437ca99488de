using Grpc.Core;
using Prism.Admin.V1;

namespace Prism.Admin.Tests;

/// <summary>The scenario against an identity provider other than Prism's own.</summary>
public class AdminScenarioTests
{
    [Fact]
    public async Task ViewerReads_ViewerCreateIsDenied_AdminCreates_DuplicateExists_AndTheAuditLogShowsIt()
    {
        await using var server = await AdminServer.StartAsync();
        await AdminScenario.RunAsync(server.Client, viewerToken: server.TokenFor("viewer", "vera@example.com"), "vera@example.com",
            adminToken: server.TokenFor("admin", "alice@example.com"), "alice@example.com");
    }
}

/// <summary>
/// The control-plane scenario of issue 3, shared by the tests that run it against
/// different identity providers and stores.
/// </summary>
public static class AdminScenario
{
    public static async Task RunAsync(AdminService.AdminServiceClient client, string viewerToken, string viewer, string adminToken, string admin)
    {
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(null)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);

        var listed = await client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(viewerToken, "req-viewer-list"));
        Assert.NotNull(listed);

        var denied = await Assert.ThrowsAsync<RpcException>(() => client.CreateNamespaceAsync(
            new CreateNamespaceRequest { Namespace = new Namespace { Name = "analytics" } }, AdminServer.Options(viewerToken, "req-viewer-create")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("admin:write", denied.Status.Detail);

        var created = await client.CreateNamespaceAsync(
            new CreateNamespaceRequest { Namespace = new Namespace { Name = "analytics", Description = "events", Patterns = { "keyvalue" } } },
            AdminServer.Options(adminToken, "req-admin-create-1"));
        Assert.Equal(1, created.Namespace.Version);
        Assert.Equal(admin, created.Namespace.CreatedBy);

        var duplicate = await Assert.ThrowsAsync<RpcException>(() => client.CreateNamespaceAsync(
            new CreateNamespaceRequest { Namespace = new Namespace { Name = "analytics" } }, AdminServer.Options(adminToken, "req-admin-create-2")).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);

        var entries = new List<AuditLogEntry>();
        using var audit = client.GetAuditLog(new GetAuditLogRequest { Operation = "CreateNamespace", Limit = 100 }, AdminServer.Options(adminToken));
        while (await audit.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            entries.Add(audit.ResponseStream.Current);
        }

        Assert.Collection(entries,
            e => AssertEntry(e, viewer, "req-viewer-create", success: false, "PERMISSION_DENIED"),
            e => AssertEntry(e, admin, "req-admin-create-1", success: true, "OK"),
            e => AssertEntry(e, admin, "req-admin-create-2", success: false, "ALREADY_EXISTS"));
    }

    private static void AssertEntry(AuditLogEntry entry, string actor, string requestId, bool success, string status)
    {
        Assert.Equal(actor, entry.Actor);
        Assert.Equal(requestId, entry.RequestId);
        Assert.Equal(success, entry.Success);
        Assert.Equal(status, entry.StatusCode);
        Assert.Equal("namespace", entry.ResourceType);
        Assert.Equal("analytics", entry.ResourceId);
    }
}
