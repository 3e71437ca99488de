using Prism.Backends.Drivers.Nats;
using Prism.Backends.PubSub;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests;

public sealed class BackendDriversTests
{
    [Fact]
    public async Task EveryDriver_DeclaresExactlyItsTypeCapabilities()
    {
        await using var drivers = new TestBackends(TestBackends.Settings());

        foreach (var backend in drivers.Registry.All)
        {
            var declared = new HashSet<string>();
            declared.UnionWith(drivers.Registry.KeyValue(backend.Name)?.Capabilities ?? new HashSet<string>());
            declared.UnionWith(drivers.Registry.PubSub(backend.Name)?.Capabilities ?? new HashSet<string>());
            declared.UnionWith(drivers.Registry.Queue(backend.Name)?.Capabilities ?? new HashSet<string>());

            Assert.True(declared.SetEquals(backend.Type.Capabilities), $"{backend.Name}: driver {string.Join(',', declared)} vs type {string.Join(',', backend.Type.Capabilities)}");
        }
    }

    [Fact]
    public async Task Registry_GivesOneSharedDriverPerBackend_AndNullForAMissingPattern()
    {
        await using var drivers = new TestBackends(TestBackends.Settings());

        Assert.Same(drivers.Registry.KeyValue("memstore"), drivers.Registry.KeyValue("memstore"));
        Assert.Null(drivers.Registry.KeyValue("nats"));
        Assert.Null(drivers.Registry.PubSub("redis"));
        Assert.Throws<ArgumentException>(() => drivers.Registry.KeyValue("cassandra"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    public void SubscribeOptions_ReadDurableFromTheWireMap(string value, bool durable) =>
        Assert.Equal(durable, SubscribeOptions.From(new Dictionary<string, string> { ["durable"] = value }).Durable);

    [Fact]
    public void NatsSubjects_CannotCollide_AcrossNamespacesOrWildcards()
    {
        string[] subjects = [NatsSubjects.Of("a", "b.c"), NatsSubjects.Of("a.b", "c"), NatsSubjects.Of("a", "b.*"), NatsSubjects.Of("a", ">"), NatsSubjects.Of("", "")];

        Assert.Equal(subjects.Length, subjects.Distinct().Count());
        Assert.All(subjects, s => Assert.Equal(4, s.Split('.').Length));
        Assert.All(subjects, s => Assert.DoesNotContain('*', s));
        Assert.NotEqual(NatsSubjects.Consumer("a", "t1", "s"), NatsSubjects.Consumer("a", "t2", "s"));
    }
}
