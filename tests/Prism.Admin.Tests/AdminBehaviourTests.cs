using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Prism.Admin.V1;
using Prism.ControlStore;

namespace Prism.Admin.Tests;

public class AdminBehaviourTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    private AdminServer Server => fixture.Server;

    private CallOptions AsAdmin(string? requestId = null) => AdminServer.Options(Server.TokenFor("admin", "behaviour-admin@example.com"), requestId);

    [Fact]
    public async Task Sessions_ShowTheirCredentialLeases_WithoutSecrets()
    {
        var store = Server.App.Services.GetRequiredService<IControlStore>();
        var now = DateTimeOffset.UtcNow;
        var id = "ses-" + Guid.NewGuid().ToString("N")[..12];
        await store.UpsertSessionAsync(new SessionRecord(id, "app@example.com", null, "orders", "proxy-1", SessionStatus.Active, now, now, 1, 2, 3, null, null), default);
        var audit = new AuditRecord(Guid.NewGuid(), now, "proxy:proxy-1", [], "IssueCredential", "credential_lease", "lease1", "orders", null, true, null, "OK",
            new Dictionary<string, string>());
        await store.RecordLeaseAsync(new LeaseRecord("lease-" + id, id, "redis-cache", "orders", "prism-s-lease-" + id, "proxy-1/x", "proxy-1", now, now.AddHours(1)),
            audit, default);

        var listed = (await Server.Client.ListSessionsAsync(new ListSessionsRequest { Namespace = "orders" }, AsAdmin())).Sessions.Single(s => s.Id == id);
        var got = (await Server.Client.GetSessionAsync(new GetSessionRequest { Id = id }, AsAdmin())).Session;

        foreach (var session in new[] { listed, got })
        {
            var lease = Assert.Single(session.Leases);
            Assert.Equal(("redis-cache", "prism-s-lease-" + id, "proxy-1"), (lease.Backend, lease.Principal, lease.ProxyId));
            Assert.Equal(now.AddHours(1).ToUnixTimeSeconds(), lease.ExpiresAt.Seconds);
        }
    }

    [Fact]
    public async Task NamespaceQueueSettings_AreStoredAndChecked()
    {
        var name = "queue-" + Guid.NewGuid().ToString("N")[..8];
        var created = (await Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest
        {
            Namespace = new Namespace { Name = name, Queue = new QueueSettings { MaxRetries = 0, VisibilityTimeoutMs = 2000 } },
        }, AsAdmin())).Namespace;
        var read = (await Server.Client.GetNamespaceAsync(new GetNamespaceRequest { Name = name }, AsAdmin())).Namespace;

        Assert.Equal((true, 0, 2000L, false), (read.Queue.HasMaxRetries, read.Queue.MaxRetries, read.Queue.VisibilityTimeoutMs, read.Queue.HasMaxInFlight));
        Assert.Contains("queue", created.Patterns);

        var outOfRange = await Assert.ThrowsAsync<RpcException>(() => Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest
        {
            Namespace = new Namespace { Name = name + "-x", Queue = new QueueSettings { MaxInFlight = 0 } },
        }, AsAdmin()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, outOfRange.StatusCode);
        Assert.StartsWith("namespace.queue.max_in_flight: must be between 1 and 10000", outOfRange.Status.Detail, StringComparison.Ordinal);

        var other = "mem-" + Guid.NewGuid().ToString("N")[..8];
        await Server.Client.CreateBackendAsync(new CreateBackendRequest { Backend = new Backend { Name = other, Type = "memstore" } }, AsAdmin());
        var elsewhere = new Namespace { Name = name + "-y" };
        elsewhere.Slots["queue"] = new PatternSlots { Bindings = { ["message_source"] = "memstore", ["dead_letter_queue"] = other } };
        var split = await Assert.ThrowsAsync<RpcException>(() => Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = elsewhere }, AsAdmin()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, split.StatusCode);
        Assert.StartsWith("namespace.slots.queue.dead_letter_queue: dead letters are kept by the message source's backend: bind 'memstore'", split.Status.Detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestId_IsEchoed_WhenGiven_AndGenerated_WhenAbsent()
    {
        using var given = Server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AsAdmin("my-request-42"));
        Assert.Equal("my-request-42", (await given.ResponseHeadersAsync).GetValue("request-id"));

        using var generated = Server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AsAdmin());
        Assert.True(Guid.TryParse((await generated.ResponseHeadersAsync).GetValue("request-id"), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("UpperCase")]
    [InlineData("-leading-dash")]
    [InlineData("has_underscore")]
    [InlineData("a-name-that-is-far-too-long-to-be-a-dns-label-because-it-has-64-c")]
    public async Task CreateNamespace_WithABadName_IsInvalidArgument_NamingTheField(string name)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Server.Client.CreateNamespaceAsync(
            new CreateNamespaceRequest { Namespace = new Namespace { Name = name } }, AsAdmin()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("namespace.name:", error.Status.Detail);
    }

    [Fact]
    public async Task CreateNamespace_BindingAnUnknownOrIncapableBackend_IsInvalidArgument()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest
        {
            Namespace = new Namespace { Name = "bad-backend", Patterns = { "keyvalue" }, Backends = { ["keyvalue"] = "mongo" } },
        }, AsAdmin()).ResponseAsync);
        var incapable = await Assert.ThrowsAsync<RpcException>(() => Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest
        {
            Namespace = new Namespace { Name = "bad-backend", Patterns = { "pubsub" }, Backends = { ["pubsub"] = "redis" } },
        }, AsAdmin()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Contains("unknown backend 'mongo'", unknown.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, incapable.StatusCode);
        Assert.Contains("namespace.slots.pubsub.source: backend 'redis' (redis) lacks capability pubsub.basic that slot source needs", incapable.Status.Detail);
    }

    [Fact]
    public async Task UpdateNamespace_WithAStaleVersion_IsFailedPrecondition_AndChangesNothing()
    {
        var created = (await Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = "versioned", Description = "v1" } }, AsAdmin())).Namespace;
        var updated = (await Server.Client.UpdateNamespaceAsync(new UpdateNamespaceRequest { Namespace = new Namespace(created) { Description = "v2" } }, AsAdmin())).Namespace;
        Assert.Equal(2, updated.Version);

        var stale = await Assert.ThrowsAsync<RpcException>(() => Server.Client.UpdateNamespaceAsync(
            new UpdateNamespaceRequest { Namespace = new Namespace(created) { Description = "lost update" } }, AsAdmin()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        var current = (await Server.Client.GetNamespaceAsync(new GetNamespaceRequest { Name = "versioned" }, AsAdmin())).Namespace;
        Assert.Equal("v2", current.Description);
        Assert.Equal(created.CreatedAt, current.CreatedAt);
    }

    [Fact]
    public async Task ListNamespaces_PagesWithSignedTokens_AndATamperedTokenIsInvalidArgument()
    {
        for (var i = 0; i < 5; i++)
        {
            await Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = $"page-{i}" } }, AsAdmin());
        }

        var names = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await Server.Client.ListNamespacesAsync(new ListNamespacesRequest { PageSize = 2, PageToken = token }, AsAdmin());
            names.AddRange(page.Namespaces.Select(n => n.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 100);

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Subset(names.ToHashSet(), Enumerable.Range(0, 5).Select(i => $"page-{i}").ToHashSet());

        var first = await Server.Client.ListNamespacesAsync(new ListNamespacesRequest { PageSize = 1 }, AsAdmin());
        var tampered = first.NextPageToken[..^2] + (first.NextPageToken[^2] == 'A' ? "B" : "A") + first.NextPageToken[^1];
        foreach (var bad in new[] { tampered, "garbage", first.NextPageToken + "x" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => Server.Client.ListNamespacesAsync(
                new ListNamespacesRequest { PageSize = 1, PageToken = bad }, AsAdmin()).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith("page_token:", error.Status.Detail);
        }

        var otherList = await Assert.ThrowsAsync<RpcException>(() => Server.Client.ListConfigsAsync(
            new ListConfigsRequest { PageToken = first.NextPageToken }, AsAdmin()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, otherList.StatusCode);
    }

    [Fact]
    public async Task Config_ContentMustParse_AndTheAuditEntryNeverHoldsTheContent()
    {
        var bad = await Assert.ThrowsAsync<RpcException>(() => Server.Client.CreateConfigAsync(new CreateConfigRequest
        {
            Config = new Config { Name = "broken", Format = "json", Content = "{\"a\": " },
        }, AsAdmin()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("config.content", bad.Status.Detail);

        const string secret = "password: hunter2-very-secret";
        await Server.Client.CreateConfigAsync(new CreateConfigRequest { Config = new Config { Name = "with-secret", Format = "yaml", Content = secret } }, AsAdmin("cfg-secret"));

        var entries = await ReadAuditAsync(new GetAuditLogRequest { Operation = "CreateConfig", Limit = 100 });
        var entry = Assert.Single(entries, e => e.RequestId == "cfg-secret");
        Assert.DoesNotContain(entry.Metadata.Values, v => v.Contains("hunter2", StringComparison.Ordinal));
        Assert.Equal(64, entry.Metadata["content_sha256"].Length);
    }

    [Fact]
    public async Task Maintenance_RoundTrips_AndDrainReportsItsDeadline()
    {
        var on = await Server.Client.SetMaintenanceModeAsync(new SetMaintenanceModeRequest { Enabled = true, Message = "upgrading" }, AsAdmin());
        var read = await Server.Client.GetMaintenanceModeAsync(new GetMaintenanceModeRequest(), AsAdmin());
        await Server.Client.SetMaintenanceModeAsync(new SetMaintenanceModeRequest { Enabled = false }, AsAdmin());
        var drain = await Server.Client.DrainConnectionsAsync(new DrainConnectionsRequest { TimeoutSeconds = 5 }, AsAdmin());
        var undrain = await Server.Client.DrainConnectionsAsync(new DrainConnectionsRequest { Cancel = true }, AsAdmin());

        Assert.True(on.Maintenance.Enabled);
        Assert.Equal("upgrading", read.Maintenance.Message);
        Assert.Equal("behaviour-admin@example.com", read.Maintenance.SetBy);
        Assert.True(drain.Draining);
        Assert.InRange((drain.Deadline.ToDateTimeOffset() - DateTimeOffset.UtcNow).TotalSeconds, 0, 6);
        Assert.False(undrain.Draining);
    }

    [Fact]
    public async Task BackendStatus_ChecksInParallel_MemstoreHealthy_UnreachableRedisUnhealthy()
    {
        var response = await Server.Client.GetBackendStatusAsync(new GetBackendStatusRequest { Names = { "memstore", "redis" } }, AsAdmin());

        var memstore = Assert.Single(response.Statuses, s => s.Backend.Name == "memstore");
        var redis = Assert.Single(response.Statuses, s => s.Backend.Name == "redis");
        Assert.Equal(BackendHealth.Healthy, memstore.Health);
        Assert.Equal(BackendHealth.Unhealthy, redis.Health);
        Assert.NotEmpty(redis.Error);

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Server.Client.GetBackendStatusAsync(
            new GetBackendStatusRequest { Names = { "mongo" } }, AsAdmin()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Metrics_CountNamespaces()
    {
        await Server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = "counted" } }, AsAdmin());

        var metrics = await Server.Client.GetMetricsAsync(new GetMetricsRequest(), AsAdmin());

        Assert.True(metrics.Metrics.Single(m => m.Name == "prism_admin_namespaces").Value >= 1);
        Assert.Contains(metrics.Metrics, m => m.Name == "prism_sessions_active");
    }

    [Fact]
    public async Task AuditLog_Follow_DeliversEntriesWrittenAfterTheStreamOpened()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var follow = Server.Client.GetAuditLog(new GetAuditLogRequest { Operation = "DeleteNamespace", Follow = true, Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
            AdminServer.Bearer(Server.TokenFor("admin", "follower@example.com")), cancellationToken: cancel.Token);

        await Server.Client.DeleteNamespaceAsync(new DeleteNamespaceRequest { Name = "does-not-exist" }, AsAdmin("followed-delete")).ResponseAsync.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.True(await follow.ResponseStream.MoveNext(cancel.Token));
        Assert.Equal("followed-delete", follow.ResponseStream.Current.RequestId);
        Assert.Equal("NOT_FOUND", follow.ResponseStream.Current.StatusCode);
    }

    private async Task<List<AuditLogEntry>> ReadAuditAsync(GetAuditLogRequest request)
    {
        var entries = new List<AuditLogEntry>();
        using var call = Server.Client.GetAuditLog(request, AsAdmin());
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            entries.Add(call.ResponseStream.Current);
        }

        return entries;
    }
}
