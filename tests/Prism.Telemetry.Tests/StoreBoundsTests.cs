using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;
using Prism.Telemetry.Otlp;
using Prism.Telemetry.Store;
using Attribute = Prism.Telemetry.Store.Attribute;

namespace Prism.Telemetry.Tests;

/// <summary>The store keeps within its limits, oldest first, and truncates oversized attributes.</summary>
public sealed class StoreBoundsTests
{
    [Fact]
    public void ExceedingMaxTraces_EvictsTheOldestTrace()
    {
        var store = new TelemetryStore(new StoreLimits { MaxTraces = 2 });
        store.AddSpans([Span("t1", "a"), Span("t2", "b"), Span("t3", "c")]);

        Assert.Equal(["t3", "t2"], store.Traces().Select(t => t.TraceId));
        Assert.Null(store.Trace("t1"));
        Assert.Equal(1, store.Counts().Evicted);
    }

    [Fact]
    public void ExceedingMaxSpans_EvictsWholeOldTraces_ThenOldestSpansOfTheLastOne()
    {
        var store = new TelemetryStore(new StoreLimits { MaxSpans = 3 });
        store.AddSpans([Span("t1", "a"), Span("t1", "b"), Span("t2", "c"), Span("t2", "d")]);
        Assert.Equal(["t2"], store.Traces().Select(t => t.TraceId));

        store.AddSpans([Span("t2", "e"), Span("t2", "f")]);
        Assert.Equal(["d", "e", "f"], store.Trace("t2")!.Select(s => s.SpanId));
        Assert.Equal(3, store.Counts().Spans);
    }

    [Fact]
    public void ExceedingMaxLogsAndPoints_EvictsTheOldest()
    {
        var store = new TelemetryStore(new StoreLimits { MaxLogs = 2, MaxMetricPoints = 2 });
        store.AddLogs([Log("one"), Log("two"), Log("three")]);
        store.AddMetricPoints([Point(1), Point(2), Point(3)]);

        Assert.Equal(["three", "two"], store.Logs().Select(l => l.Body));
        Assert.Equal([2.0, 3.0], store.MetricPoints("m").Select(p => p.Value));
    }

    [Fact]
    public void OversizedAttributes_AreTruncated_AndExtraOnesDropped()
    {
        var limits = new StoreLimits { MaxAttributes = 2, MaxAttributeLength = 8 };
        var converter = new OtlpConverter(new AttributeLimiter(limits));
        var span = new Span { TraceId = Id(16), SpanId = Id(8), Name = new string('n', 20) };
        span.Attributes.Add(Kv("a", new string('x', 100)));
        span.Attributes.Add(Kv("b", "short"));
        span.Attributes.Add(Kv("c", "dropped"));
        var resourceSpans = new ResourceSpans { Resource = new Resource(), ScopeSpans = { new ScopeSpans { Spans = { span } } } };

        var record = Assert.Single(converter.Spans([resourceSpans]));

        Assert.Equal(new string('n', 8) + AttributeLimiter.Ellipsis, record.Name);
        Assert.Equal([new Attribute("a", "xxxxxxxx" + AttributeLimiter.Ellipsis), new Attribute("b", "short")], record.Attributes);
        Assert.Equal(1, record.DroppedAttributes);
        Assert.Equal(OtlpConverter.UnknownService, record.Service);
    }

    [Fact]
    public void ExceedingTheMemoryBudget_EvictsTheOldestOfTheLargestKind()
    {
        // 1 MiB budget; each span or log carries ~100 KB of text (50,000 UTF-16 characters).
        var store = new TelemetryStore(new StoreLimits { MaxStoreMegabytes = 1 });
        var text = new string('x', 50_000);
        for (var i = 0; i < 20; i++)
        {
            store.AddSpans([Span($"t{i}", "s", name: text)]);
        }

        Assert.InRange(store.EstimatedBytes, 900_000, 1024 * 1024);
        Assert.Equal("t19", store.Traces()[0].TraceId);
        Assert.Null(store.Trace("t0"));

        for (var i = 0; i < 20; i++)
        {
            store.AddLogs([Log(text + i)]);
        }

        Assert.InRange(store.EstimatedBytes, 900_000, 1024 * 1024);
        Assert.Equal(text + "19", store.Logs()[0].Body);
        Assert.True(store.Counts().Spans > 0, "spans and logs share the budget");
        Assert.True(store.Counts().Logs > 0);
    }

    [Fact]
    public async Task ConcurrentWriters_StayWithinTheLimits()
    {
        var store = new TelemetryStore(new StoreLimits { MaxTraces = 50, MaxSpans = 120, MaxLogs = 100 });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                store.AddSpans([Span($"w{w}-{i}", "s")]);
                store.AddLogs([Log($"{w}-{i}")]);
                _ = store.Traces();
            }
        }))).WaitAsync(TimeSpan.FromSeconds(30));

        var counts = store.Counts();
        Assert.Equal(50, counts.Traces);
        Assert.Equal(50, counts.Spans);
        Assert.Equal(100, counts.Logs);
    }

    internal static SpanRecord Span(string traceId, string spanId, string name = "op", string service = "svc") =>
        new(traceId, spanId, null, name, service, "Internal", 1_000, 2_000_000, "Unset", null, "test", [], [], 0);

    private static LogEntry Log(string body) => new(1, "svc", "INFO", 9, body, null, null, "test", []);

    private static MetricPoint Point(double value) => new("svc", "m", "", "gauge", (ulong)value, value, 1, []);

    private static KeyValue Kv(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static Google.Protobuf.ByteString Id(int length) => Google.Protobuf.ByteString.CopyFrom(Enumerable.Repeat((byte)7, length).ToArray());
}
