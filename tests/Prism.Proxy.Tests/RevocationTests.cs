using Google.Protobuf;
using Grpc.Core;
using Prism.Admin.V1;
using Prism.ControlStore;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>Revocation that bites: admin and proxy refuse a revoked token within 5 s (issue 13).</summary>
public sealed class RevocationTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task LoggedOutGrant_AndRevokedAccessToken_AreRefusedByAdminAndProxy_Within5s()
    {
        await using var stack = await RevocationStack.StartAsync();
        var ns = await stack.Proxy.CreateNamespaceAsync();
        var dev = await stack.SignInAsync("dev@local.prism");
        var test = await stack.SignInAsync("test@local.prism");
        foreach (var token in new[] { dev.AccessToken!, test.AccessToken! })
        {
            await stack.AdminCallAsync(token);
            await stack.Proxy.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, ProxyServer.Call(token, ns));
        }

        using var subscription = await stack.Proxy.PubSub.SubscribeAsync("t", ProxyServer.Call(dev.AccessToken!, ns));

        // prismctl logout: the refresh token is revoked; the access token of the same sign-in stops working.
        await stack.RevokeAsync(dev.RefreshToken!, "refresh_token");
        var (admin, proxy) = await stack.RefusedWithinAsync(dev.AccessToken!, ns, Within);
        Assert.Contains("token has been revoked", admin.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("token has been revoked", proxy.Status.Detail, StringComparison.Ordinal);

        // The stream it opened before ends too (at the proxy's next session flush).
        var ended = await Rpc.FailsAsync(StatusCode.Unauthenticated, () => subscription.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("token has been revoked", ended.Status.Detail, StringComparison.Ordinal);

        // An access token revoked on its own.
        await stack.RevokeAsync(test.AccessToken!, "access_token");
        await stack.RefusedWithinAsync(test.AccessToken!, ns, Within);

        // A new sign-in works.
        var again = await stack.SignInAsync("dev@local.prism");
        await stack.AdminCallAsync(again.AccessToken!);
        await stack.Proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(again.AccessToken!, ns));
    }

    [Fact]
    public async Task TerminatingAllSessionsOfAnIdentity_RefusesItsTokensEverywhere_AndEndsItsSessionsInEveryNamespace()
    {
        await using var stack = await RevocationStack.StartAsync();
        var first = await stack.Proxy.CreateNamespaceAsync();
        var second = await stack.Proxy.CreateNamespaceAsync();
        var operatorToken = (await stack.SignInAsync("dev@local.prism")).AccessToken!;
        var user = (await stack.SignInAsync("test@local.prism")).AccessToken!;
        foreach (var ns in new[] { first, second })
        {
            await stack.Proxy.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, ProxyServer.Call(user, ns));
        }

        await stack.AdminCallAsync(user);
        await Timeouts.WaitUntilAsync(async () => (await ActiveSessionsOfAsync(stack.Proxy.Store, "test@local.prism")).Count == 2, "both sessions are recorded");

        var response = await stack.AdminClient.TerminateSessionAsync(
            new TerminateSessionRequest { Identity = "test@local.prism", Reason = "account compromised" },
            new Metadata { { "authorization", "Bearer " + operatorToken } }, DateTime.UtcNow.Add(Timeouts.Await));
        Assert.Equal(2, response.Sessions.Count);
        Assert.All(response.Sessions, s => Assert.Equal(SessionState.Terminated, s.State));

        var (admin, proxy) = await stack.RefusedWithinAsync(user, first, Within);
        Assert.Equal(StatusCode.Unauthenticated, admin.StatusCode);
        Assert.Contains("token has been revoked", admin.Status.Detail, StringComparison.Ordinal);
        Assert.True(proxy.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied);
        await RefusalOnSecondAsync(stack, user, second);
        Assert.Empty(await ActiveSessionsOfAsync(stack.Proxy.Store, "test@local.prism"));

        // The operator and everyone else go on.
        await stack.AdminCallAsync(operatorToken);
        await stack.Proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(operatorToken, first));

        // A sign-in after the termination (iat has whole seconds) gets a working token.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var fresh = (await stack.SignInAsync("test@local.prism")).AccessToken!;
        await stack.AdminCallAsync(fresh);
    }

    [Fact]
    public async Task DisabledUser_CannotSignIn_AndTokensIssuedBeforeAreRefused()
    {
        await using var stack = await RevocationStack.StartAsync();
        var ns = await stack.Proxy.CreateNamespaceAsync();
        var before = (await stack.SignInAsync("test@local.prism")).AccessToken!;
        await stack.AdminCallAsync(before);

        // The operator marks the user disabled in the identity config and restarts the provider.
        await stack.StartIdentityAsync(stack.IdentityConfigWith("userID: a0b1c2d3-e4f5-6789-0123-456789abcdef",
            "userID: a0b1c2d3-e4f5-6789-0123-456789abcdef\n    disabled: true"));

        var (admin, proxy) = await stack.RefusedWithinAsync(before, ns, Within);
        Assert.Contains("the user of this token is disabled", admin.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("the user of this token is disabled", proxy.Status.Detail, StringComparison.Ordinal);
        var refused = await stack.TrySignInAsync("test@local.prism");
        Assert.Equal("invalid_grant", refused.Error);
        Assert.Equal("This account is disabled.", refused.ErrorDescription);
        await stack.AdminCallAsync((await stack.SignInAsync("dev@local.prism")).AccessToken!);
    }

    [Fact]
    public async Task RevocationFeedUnreadable_PastTheGrace_RefusesEveryToken_UntilItIsBack()
    {
        await using var stack = await RevocationStack.StartAsync(new Dictionary<string, string?> { ["security:revocation_grace"] = "2s" });
        var ns = await stack.Proxy.CreateNamespaceAsync();
        var token = (await stack.SignInAsync("dev@local.prism")).AccessToken!;
        await stack.AdminCallAsync(token);

        await stack.StopIdentityAsync();
        var (admin, proxy) = await stack.RefusedWithinAsync(token, ns, TimeSpan.FromSeconds(10));
        Assert.Contains("revocation state of the identity provider is unknown", admin.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("revocation state of the identity provider is unknown", proxy.Status.Detail, StringComparison.Ordinal);

        await stack.StartIdentityAsync();
        await Timeouts.WaitUntilAsync(async () =>
        {
            try
            {
                await stack.AdminCallAsync(token);
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                return false;
            }
        }, "the admin accepts the token again");
    }

    // The session in the other namespace is terminated too (or the token already refused there).
    private static async Task RefusalOnSecondAsync(RevocationStack stack, string token, string @namespace)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => stack.Proxy.KeyValue.GetAsync(new GetRequest { Key = "k" }, ProxyServer.Call(token, @namespace)).ResponseAsync);
        Assert.True(e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied, e.Status.ToString());
    }

    private static async Task<List<SessionRecord>> ActiveSessionsOfAsync(IControlStore store, string identity)
    {
        var page = await store.ListSessionsAsync(new PageRequest(100, null), null, includeInactive: false, CancellationToken.None).WaitAsync(Timeouts.Await);
        return [.. page.Items.Where(s => s.Identity == identity)];
    }
}
