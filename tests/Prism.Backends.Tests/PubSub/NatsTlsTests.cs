using Prism.Backends.Drivers.Nats;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.Support;
using Prism.Testing;
using Prism.Testing.Servers;

namespace Prism.Backends.Tests.PubSub;

/// <summary>The pub/sub contract against NATS over TLS: a tls:// URL, the CA from PRISM_TLS_CA_FILE, a client certificate.</summary>
[Collection(NatsTlsCollection.Name)]
public sealed class NatsTlsPubSubTests(NatsTlsFixture nats) : PubSubContract
{
    private TestBackends? _drivers;

    protected override IPubSub PubSub => _drivers!.Registry.PubSub("nats")!;

    public override Task InitializeAsync()
    {
        _drivers = NatsTlsTests.Drivers(nats, nats.ClientSettings());
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}

[Collection(NatsTlsCollection.Name)]
public sealed class NatsTlsTests(NatsTlsFixture nats)
{
    [Fact]
    public async Task WithTheCaAndTheClientCertificate_TheServerAnswers()
    {
        await using var drivers = Drivers(nats, nats.ClientSettings());

        await drivers.Registry.Find("nats")!.PingAsync(default).WaitAsync(Timeouts.Await);
    }

    [Fact]
    public async Task WithoutTheClientCertificate_TheConnectionFails()
    {
        var settings = nats.ClientSettings();
        settings.Remove("tls:client_cert_file");
        settings.Remove("tls:client_key_file");
        await using var drivers = Drivers(nats, settings);

        var error = await Record.ExceptionAsync(() => drivers.Registry.Find("nats")!.PingAsync(default).WaitAsync(Timeouts.Await));
        Assert.NotNull(error);
        Assert.IsNotType<TimeoutException>(error);
    }

    [Fact]
    public async Task WithoutTheCa_TheServerCertificateIsNotTrusted()
    {
        var settings = nats.ClientSettings();
        settings.Remove("tls:ca_file");
        await using var drivers = Drivers(nats, settings);

        var error = await Record.ExceptionAsync(() => drivers.Registry.Find("nats")!.PingAsync(default).WaitAsync(Timeouts.Await));
        Assert.NotNull(error);
        Assert.IsNotType<TimeoutException>(error);
    }

    internal static TestBackends Drivers(NatsTlsFixture nats, Dictionary<string, string?> tls)
    {
        var settings = TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url));
        foreach (var (key, value) in tls)
        {
            settings[key] = value;
        }

        return new TestBackends(settings);
    }
}

/// <summary>A plain nats:// server used by a process whose TLS settings (CA, client certificate) serve its other connections.</summary>
[Collection(NatsCollection.Nats)]
public sealed class NatsPlainWithTlsSettingsTests(NatsFixture nats)
{
    [Fact]
    public async Task PlainServer_IsReached_WhenTheProcessHasTlsSettings()
    {
        using var certificates = new TestCertificates();
        var settings = TestBackends.Settings((NatsBackendType.UrlSetting, nats.Server.Url));
        settings["tls:ca_file"] = certificates.CaFile;
        settings["tls:client_cert_file"] = certificates.ClientCertificateFile;
        settings["tls:client_key_file"] = certificates.ClientKeyFile;
        await using var drivers = new TestBackends(settings);

        var error = await Record.ExceptionAsync(() => drivers.Registry.Find("nats")!.PingAsync(default).WaitAsync(Timeouts.Await));

        Assert.Null(error);
    }
}
