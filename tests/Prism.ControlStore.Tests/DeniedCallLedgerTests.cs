using Microsoft.Extensions.Time.Testing;
using Prism.ControlStore.Denials;

namespace Prism.ControlStore.Tests;

public class DeniedCallLedgerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Address_IsAdmittedUpToItsBudget_ThenCounted_PerStatus_AndSummarisedWhenTheWindowEnds()
    {
        var ledger = new DeniedCallLedger(3, TimeSpan.FromMinutes(1), _time);

        var admitted = Enumerable.Range(0, 10).Select(i => ledger.TryAdmit("10.0.0.1", i % 2 == 0 ? "UNAUTHENTICATED" : "PERMISSION_DENIED")).ToList();
        Assert.True(ledger.TryAdmit("10.0.0.2", "UNAUTHENTICATED"));

        Assert.Equal([true, true, true, false, false, false, false, false, false, false], admitted);
        Assert.Empty(ledger.TakeSummaries());

        _time.Advance(TimeSpan.FromMinutes(1));
        var summaries = ledger.TakeSummaries();

        Assert.Equal([("10.0.0.1", "PERMISSION_DENIED", 4L), ("10.0.0.1", "UNAUTHENTICATED", 3L)],
            summaries.Select(s => (s.Address, s.StatusCode, s.Count)).Order());
        Assert.True(ledger.TryAdmit("10.0.0.1", "UNAUTHENTICATED"));
    }

    [Fact]
    public void AddressTable_IsBounded_EvictingTheLeastRecentlySeen_WithoutLosingItsCount()
    {
        var ledger = new DeniedCallLedger(1, TimeSpan.FromMinutes(1), _time, maxAddresses: 100);
        ledger.TryAdmit("first", "UNAUTHENTICATED");
        ledger.TryAdmit("first", "UNAUTHENTICATED");

        for (var i = 0; i < 10_000; i++)
        {
            ledger.TryAdmit($"10.1.{i / 256}.{i % 256}", "UNAUTHENTICATED");
        }

        Assert.Equal(100, ledger.TrackedAddresses);
        var evicted = Assert.Single(ledger.TakeSummaries(everything: true), s => s.Address == "first");
        Assert.Equal(1, evicted.Count);
    }

    [Fact]
    public void Summaries_AtShutdown_CoverEveryCountedCall_AndIdleAddressesAreForgotten()
    {
        var ledger = new DeniedCallLedger(0, TimeSpan.FromMinutes(1), _time);
        for (var i = 0; i < 2000; i++)
        {
            Assert.False(ledger.TryAdmit("192.0.2.7", "RESOURCE_EXHAUSTED"));
        }

        var summary = Assert.Single(ledger.TakeSummaries(everything: true));
        Assert.Equal(("192.0.2.7", 2000L), (summary.Address, summary.Count));

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(ledger.TakeSummaries());
        Assert.Equal(0, ledger.TrackedAddresses);
    }
}
