using Prism.Backends.Drivers.Redis;
using Prism.Backends.KeyValue;
using Prism.Backends.Tests.Support;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.KeyValue;

/// <summary>The whole key-value contract against Redis over TLS: a rediss:// URL, the CA from PRISM_TLS_CA_FILE, a client certificate.</summary>
[Collection(RedisTlsCollection.Name)]
public sealed class RedisTlsKeyValueTests(RedisTlsFixture redis) : KeyValueContract
{
    private TestBackends? _drivers;

    protected override IKeyValueStore Store => _drivers!.Registry.KeyValue("redis")!;

    public override Task InitializeAsync()
    {
        var settings = TestBackends.Settings((RedisBackendType.UrlSetting, redis.Server.Url));
        foreach (var (key, value) in redis.ClientSettings())
        {
            settings[key] = value;
        }

        _drivers = new TestBackends(settings);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}

[Collection(RedisTlsCollection.Name)]
public sealed class RedisTlsTests(RedisTlsFixture redis)
{
    [Fact]
    public void ARedissUrl_TurnsOnTls_AndIsShownAsRediss()
    {
        Assert.Equal("h:6380,user=u,password=p,ssl=true", ConnectionStrings.Redis("rediss://u:p@h:6380"));
        Assert.Equal("rediss://h:6380", ConnectionStrings.DisplayRedis("rediss://u:p@h:6380"));
        Assert.Equal("redis://h:6380", ConnectionStrings.DisplayRedis("redis://h:6380"));
    }

    [Fact]
    public async Task WithTheCaAndTheClientCertificate_ValuesRoundTrip()
    {
        await using var drivers = Drivers(redis.ClientSettings());
        var store = drivers.Registry.KeyValue("redis")!;

        await store.SetAsync("ns", "k", "over tls"u8.ToArray(), null, default).WaitAsync(Timeouts.Await);

        Assert.Equal("over tls"u8.ToArray(), (await store.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await)).Value.ToArray());
        Assert.Equal($"rediss://127.0.0.1:{redis.Server.Port}", drivers.Registry.Find("redis")!.Endpoint);
    }

    [Fact]
    public async Task WithoutTheClientCertificate_TheServerRefusesTheConnection()
    {
        var settings = redis.ClientSettings();
        settings.Remove("tls:client_cert_file");
        settings.Remove("tls:client_key_file");
        await using var drivers = Drivers(settings);

        var down = await Assert.ThrowsAsync<BackendUnavailableException>(() =>
            drivers.Registry.KeyValue("redis")!.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await));
        Assert.Equal("redis", down.BackendName);
    }

    [Fact]
    public async Task WithoutTheCa_TheServerCertificateIsNotTrusted()
    {
        var settings = redis.ClientSettings();
        settings.Remove("tls:ca_file");
        await using var drivers = Drivers(settings);

        await Assert.ThrowsAsync<BackendUnavailableException>(() =>
            drivers.Registry.KeyValue("redis")!.GetAsync("ns", "k", default).WaitAsync(Timeouts.Await));
    }

    private TestBackends Drivers(Dictionary<string, string?> tls)
    {
        var settings = TestBackends.Settings((RedisBackendType.UrlSetting, redis.Server.Url));
        foreach (var (key, value) in tls)
        {
            settings[key] = value;
        }

        return new TestBackends(settings);
    }
}
