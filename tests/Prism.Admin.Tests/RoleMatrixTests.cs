using Grpc.Core;
using Prism.Admin.Calls;
using Prism.Admin.V1;
using Prism.Security.Authorization;

namespace Prism.Admin.Tests;

/// <summary>Every RPC × every role: allowed exactly when RFC-010's role table grants the RPC's permission.</summary>
public class RoleMatrixTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    public static TheoryData<string, string> RpcsAndRoles()
    {
        var data = new TheoryData<string, string>();
        foreach (var rpc in AdminCalls.All.Keys)
        {
            foreach (var role in new[] { Roles.Admin, Roles.Operator, Roles.Viewer, "none" })
            {
                data.Add(rpc, role);
            }
        }

        return data;
    }

    public static TheoryData<string> Rpcs() => [.. AdminCalls.All.Keys];

    [Fact]
    public void EveryRpcOfTheService_HasAPermission_AndIsInTheMatrix()
    {
        var rpcs = AdminService.Descriptor.Methods.Select(m => m.Name).Order().ToList();

        Assert.Equal(rpcs, MethodPermissions.Required.Keys.Order().ToList());
        Assert.Equal(rpcs, AdminCalls.All.Keys.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(RpcsAndRoles))]
    public async Task Rpc_IsAllowedExactlyWhenTheRoleGrantsItsPermission(string rpc, string role)
    {
        var server = fixture.Server;
        var granted = Roles.PermissionsOf.TryGetValue(role, out var permissions) && permissions.Contains(MethodPermissions.For(rpc));

        var status = await StatusOf(AdminCalls.All[rpc](server.Client, AdminServer.Options(server.TokenFor(role, $"{role}-{rpc}@example.com"))));

        if (granted)
        {
            Assert.True(status is StatusCode.OK or StatusCode.NotFound, $"{role} calling {rpc}: {status}");
        }
        else
        {
            Assert.Equal(StatusCode.PermissionDenied, status);
        }
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Rpc_WithoutAToken_IsUnauthenticated(string rpc)
    {
        var status = await StatusOf(AdminCalls.All[rpc](fixture.Server.Client, AdminServer.Options(token: null)));

        Assert.Equal(StatusCode.Unauthenticated, status);
    }

    private static async Task<StatusCode> StatusOf(Task call)
    {
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(30));
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
