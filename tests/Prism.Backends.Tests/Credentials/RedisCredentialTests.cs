using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Testing.Servers;
using StackExchange.Redis;

namespace Prism.Backends.Tests.Credentials;

/// <summary>On a redis-server of its own in production posture: no passwordless default user.</summary>
public sealed class RedisCredentialTests : CredentialSourceContract
{
    private RedisServer? _redis;
    private string _admin = "";

    protected override string TypeName => "redis";

    protected override async Task<Dictionary<string, string>> DynamicSettingsAsync()
    {
        _redis = await RedisServer.StartNewAsync();
        _admin = await _redis.RequireAuthenticationAsync();
        return new Dictionary<string, string> { ["url"] = _admin, [CredentialPolicy.ModeKey] = "dynamic", [CredentialPolicy.TtlKey] = "10m" };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    protected override Task<string?> ReadDirectlyAsync(SessionCredential credential, string @namespace, string key) =>
        RedisSessionProbe.ReadAsync(() => ConnectAsync(credential), @namespace, key);

    protected override Task<bool> CanLogInAsync(SessionCredential credential) =>
        RedisSessionProbe.CanLogInAsync(() => ConnectAsync(credential), credential);

    protected override async Task<BackendInstanceSpec> UnprivilegedSpecAsync()
    {
        // A user that can do everything but manage ACLs.
        await using var admin = await ConnectionMultiplexer.ConnectAsync(_admin);
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "no-acl", "on", ">no-acl-pass", "~*", "&*", "+@all", "-acl");
        return new BackendInstanceSpec("weak", "redis", new Dictionary<string, string>
        {
            ["url"] = _redis!.Configuration + ",user=no-acl,password=no-acl-pass", [CredentialPolicy.ModeKey] = "dynamic",
        }, BackendSource.Api);
    }

    [Fact]
    public async Task SessionUser_CannotListKeysOrManageUsers()
    {
        var credential = await IssueAsync("team-a");
        await using var client = await ConnectAsync(credential);

        var keys = await Assert.ThrowsAsync<RedisServerException>(() => client.GetDatabase().ExecuteAsync("KEYS", "*"));
        var acl = await Assert.ThrowsAsync<RedisServerException>(() => client.GetDatabase().ExecuteAsync("ACL", "LIST"));

        Assert.StartsWith("NOPERM", keys.Message, StringComparison.Ordinal);
        Assert.StartsWith("NOPERM", acl.Message, StringComparison.Ordinal);
    }

    private Task<ConnectionMultiplexer> ConnectAsync(SessionCredential credential)
    {
        var options = ConfigurationOptions.Parse(_redis!.Configuration);
        options.AllowAdmin = true;
        options.User = credential.Principal;
        options.Password = credential.Secret;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 0;
        options.ConnectTimeout = 2000;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
