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
