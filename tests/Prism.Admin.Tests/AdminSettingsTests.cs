using Grpc.Core;
using Prism.Admin.V1;
using Microsoft.Extensions.Options;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Admin.Tests;

public class AdminSettingsTests
{
    [Fact]
    public async Task RateLimit_PerActor_AnswersResourceExhausted_AndAuditsIt()
    {
        await using var server = await AdminServer.StartAsync(new Dictionary<string, string?> { ["admin:rate_limit_per_minute"] = "3" });
        var busy = AdminServer.Options(server.TokenFor("viewer", "busy@example.com"));

        for (var i = 0; i < 3; i++)
        {
            await server.Client.ListNamespacesAsync(new ListNamespacesRequest(), busy);
        }

        var limited = await Assert.ThrowsAsync<RpcException>(() => server.Client.ListNamespacesAsync(new ListNamespacesRequest(), busy).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.Contains("busy@example.com", limited.Status.Detail);
        await server.Client.ListNamespacesAsync(new ListNamespacesRequest(), AdminServer.Options(server.TokenFor("viewer", "calm@example.com")));
    }

    [Fact]
    public async Task AuthDisabled_RunsCallsAsTheLocalDeveloper_AndWarns()
    {
        await using var server = await AdminServer.StartAsync(new Dictionary<string, string?> { ["security:auth_disabled"] = "true" });

        var created = await server.Client.CreateNamespaceAsync(new CreateNamespaceRequest { Namespace = new Namespace { Name = "no-auth" } }, AdminServer.Options(null));

        Assert.Equal("dev@local.prism", created.Namespace.CreatedBy);
        Assert.Contains(server.App.Logs.Entries, e => e.Message == DeploymentPosture.WarningMessage && e.Fields["dependency"] == "auth");
    }

    [Fact]
    public async Task Production_RefusesTheDefaultCursorKey_AndDisabledAuth()
    {
        var error = await Assert.ThrowsAsync<ProductionPostureException>(() => AdminServer.StartAsync(new Dictionary<string, string?>
        {
            ["env"] = "production",
            ["security:auth_disabled"] = "true",
        }));

        Assert.Contains("PRISM_ADMIN_CURSOR_KEY", error.Message);
        Assert.Contains("PRISM_AUTH_DISABLED", error.Message);
    }

    [Fact]
    public async Task ShortCursorKey_StopsStartUp_WithoutEchoingTheSecret()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AdminServer.StartAsync(new Dictionary<string, string?>
        {
            ["admin:cursor_key"] = "too-short-secret-value",
        })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("'admin:cursor_key' (PRISM_ADMIN_CURSOR_KEY) must be at least 32 characters", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-secret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRateLimit_StopsStartUp_NamingKeyVariableAndValue()
    {
        var error = await Assert.ThrowsAsync<ConfigurationException>(() => AdminServer.StartAsync(new Dictionary<string, string?>
        {
            ["admin:rate_limit_per_minute"] = "lots",
        })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("'admin:rate_limit_per_minute' (PRISM_ADMIN_RATE_LIMIT) must be a positive whole number; got 'lots'.", error.Message);
    }
}
