using Microsoft.Extensions.Configuration;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.Instances;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Backends.Tests.Clustered;

/// <summary>The nats instance's server list and replicas: what is accepted, what is shown, what is refused.</summary>
public sealed class NatsServerListTests
{
    private static readonly NatsBackendType Nats = new();

    [Theory]
    [InlineData("nats://app:s3cret@10.0.0.1:4222,10.0.0.2:4223,nats://10.0.0.3:4224", "nats://10.0.0.1:4222,nats://10.0.0.2:4223,nats://10.0.0.3:4224")]
    [InlineData("tls://app:s3cret@a.example:4222, b.example:4222", "tls://a.example:4222,tls://b.example:4222")]
    [InlineData("nats://127.0.0.1:4222", "nats://127.0.0.1:4222")]
    public void AListOfServers_IsAccepted_AndShownWithoutCredentials(string url, string shown) =>
        Assert.Equal(shown, Nats.Endpoint(Spec(url)));

    [Theory]
    [InlineData("redis://s3cret@10.0.0.1:6379", "setting 'url' is not a nats:// URL")]
    [InlineData("nats://10.0.0.1:4222,http://s3cret@10.0.0.2", "server 2 of setting 'url' is not a nats:// URL")]
    [InlineData("tls://10.0.0.1:4222,nats://s3cret@10.0.0.2:4222", "server 2 of setting 'url' mixes TLS and plain servers")]
    [InlineData(" , ", "setting 'url' names no NATS server")]
    public void AWrongServer_IsRefused_ByPosition_WithoutItsValue(string url, string reason)
    {
        var refused = Assert.Throws<Types.BackendSpecException>(() => Nats.Endpoint(Spec(url)));

        Assert.Equal(reason, refused.Message);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("three")]
    public void Replicas_OutsideOneToFive_AreRefused(string replicas)
    {
        var refused = Assert.Throws<Types.BackendSpecException>(() => Nats.Endpoint(Spec("nats://127.0.0.1:4222", replicas)));

        Assert.Equal("setting 'replicas' is not a whole number from 1 to 5", refused.Message);
    }

    [Fact]
    public void TheDefaultInstance_TakesItsReplicasFromTheSetting_AndRefusesTooMany()
    {
        using var home = new TempDirectory();

        var three = Nats.DefaultInstance(Configuration((NatsBackendType.ReplicasSetting, "3")), new PrismHome(home.Path));
        var refused = Assert.Throws<ConfigurationException>(() => Nats.DefaultInstance(Configuration((NatsBackendType.ReplicasSetting, "9")), new PrismHome(home.Path)));

        Assert.Equal("3", three.Value(NatsBackendType.ReplicasKey));
        Assert.Contains("PRISM_NATS_REPLICAS", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInstance_WithReplicas_PassesTheInstanceRules()
    {
        var type = BackendInstanceRules.Validate(new BackendInstanceSpec("events", "nats",
            new Dictionary<string, string> { ["url"] = "nats://h1:4222,h2:4222,h3:4222", [NatsBackendType.ReplicasKey] = "3" }, BackendSource.Api));

        Assert.Equal("nats", type.Name);
    }

    private static BackendInstanceSpec Spec(string url, string? replicas = null)
    {
        var values = new Dictionary<string, string> { ["url"] = url };
        if (replicas is not null)
        {
            values[NatsBackendType.ReplicasKey] = replicas;
        }

        return new BackendInstanceSpec("nats", "nats", values, BackendSource.Config);
    }

    private static IConfiguration Configuration(params (Setting Setting, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Setting.Key, v => (string?)v.Value)).Build();
}
