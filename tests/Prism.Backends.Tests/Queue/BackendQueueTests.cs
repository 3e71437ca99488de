using Prism.Backends.Drivers.Postgres;
using Prism.Testing.Servers;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.Queue;

public sealed class MemstoreQueueTests : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("memstore")!;

    public override Task InitializeAsync()
    {
        _drivers = new TestBackends(TestBackends.Settings());
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();
}

[Collection(PostgresFixture.Collection)]
public sealed class PostgresQueueTests(PostgresFixture postgres) : QueueContract
{
    private TestBackends? _drivers;

    protected override IQueue Queue => _drivers!.Registry.Queue("postgres")!;

    public override async Task InitializeAsync() =>
        _drivers = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres).WaitAsync(Timeouts.Await))));

    public override async Task DisposeAsync() => await _drivers!.DisposeAsync();

    [Fact]
    public async Task AnotherProcess_ConsumesWhatThisOneEnqueued_InTheSameGroup()
    {
        await using var other = new TestBackends(TestBackends.Settings((PostgresBackendType.UrlSetting, await SharedDatabase.UrlAsync(postgres))));
        await using var here = await JoinAsync("handover", "g", "here", NoTimeouts with { VisibilityTimeout = ShortVisibility, MaxInFlight = 1 });
        var id = await EnqueueAsync("handover", "x");
        Assert.Equal(id, (await here.NextAsync()).MessageId);

        await using var there = new Member(await other.Registry.Queue("postgres")!.ConsumeAsync(Ns, "handover", "g", "there", NoTimeouts, default).WaitAsync(Timeouts.Await));

        var again = await there.NextAsync();

        Assert.Equal((id, 2), (again.MessageId, again.Attempt));
    }
}
