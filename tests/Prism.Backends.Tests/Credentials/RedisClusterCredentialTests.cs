using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;
using StackExchange.Redis;

namespace Prism.Backends.Tests.Credentials;

/// <summary>
/// The credential contract on a Redis Cluster with replicas, no passwordless default user on any node. ACL users are
/// per node in a cluster: a session user must exist on every master and replica, and be gone from all of them.
/// </summary>
[Collection(RedisClusterAclCollection.Name)]
public sealed class RedisClusterCredentialTests(RedisClusterAclFixture redis) : CredentialSourceContract
{
    protected override string TypeName => "redis";

    protected override Task<Dictionary<string, string>> DynamicSettingsAsync() =>
        Task.FromResult(new Dictionary<string, string>
        {
            ["url"] = redis.AdminConfiguration, [CredentialPolicy.ModeKey] = "dynamic", [CredentialPolicy.TtlKey] = "10m",
        });

    protected override Task<string?> ReadDirectlyAsync(SessionCredential credential, string @namespace, string key) =>
        RedisSessionProbe.ReadAsync(() => ConnectAsync(credential), @namespace, key);

    protected override Task<bool> CanLogInAsync(SessionCredential credential) =>
        RedisSessionProbe.CanLogInAsync(() => ConnectAsync(credential), credential);

    protected override async Task<BackendInstanceSpec> UnprivilegedSpecAsync()
    {
        // A user that can do everything but manage ACLs, on every node.
        foreach (var node in redis.Cluster.Nodes)
        {
            await node.SendAsAsync(RedisCluster.AdminUser, RedisCluster.AdminPassword, "ACL", "SETUSER", "no-acl", "on", ">no-acl-pass", "~*", "&*", "+@all", "-acl");
        }

        return new BackendInstanceSpec("weak", "redis", new Dictionary<string, string>
        {
            ["url"] = redis.Cluster.Configuration + ",user=no-acl,password=no-acl-pass", [CredentialPolicy.ModeKey] = "dynamic",
        }, BackendSource.Api);
    }

    [Fact]
    public async Task SessionUser_LogsInOnEveryMasterAndReplica_AndIsGoneFromEveryNodeOnceRevoked()
    {
        var credential = await IssueAsync("team-n");

        var logins = await Task.WhenAll(redis.Cluster.Nodes.Select(n => n.SendAsAsync(credential.Principal, credential.Secret, "ACL", "WHOAMI")));
        await Source.RevokeAsync(credential.Principal, default);
        var after = await Task.WhenAll(redis.Cluster.Nodes.Select(n =>
            n.SendAsAsync(RedisCluster.AdminUser, RedisCluster.AdminPassword, "ACL", "GETUSER", credential.Principal)));

        Assert.Equal(6, logins.Length);
        Assert.All(logins, who => Assert.Equal(credential.Principal, who));
        Assert.All(after, user => Assert.Equal("", user));
    }

    private Task<ConnectionMultiplexer> ConnectAsync(SessionCredential credential)
    {
        var options = ConfigurationOptions.Parse(redis.Cluster.Configuration);
        options.User = credential.Principal;
        options.Password = credential.Secret;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 0;
        options.ConnectTimeout = 2000;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
