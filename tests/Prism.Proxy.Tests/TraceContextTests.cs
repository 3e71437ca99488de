using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>W3C trace context from a client's <c>traceparent</c> reaches the proxy's span of the backend call.</summary>
public class TraceContextTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    [Fact]
    public async Task ACallWithTraceparent_ContinuesTheClientsTrace_DownToTheBackendCall()
    {
        var recorded = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ProxyTelemetry.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = recorded.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var server = fixture.Server;
        var ns = await server.CreateNamespaceAsync();
        var traceId = ActivityTraceId.CreateRandom();
        var clientSpan = ActivitySpanId.CreateRandom();
        var options = ProxyServer.Call(server.TokenFor(), ns);
        options.Headers!.Add("traceparent", $"00-{traceId}-{clientSpan}-01");

        await server.KeyValue.SetAsync(new SetRequest { Key = "k", Value = ByteString.CopyFromUtf8("v") }, options);

        // The trace may also hold the issuer's answers to discovery and JWKS requests the proxy made for it.
        var inTrace = recorded.Where(a => a.TraceId == traceId).ToList();
        var backendCall = Assert.Single(inTrace, a => a.OperationName == "keyvalue.set");
        var request = Assert.Single(inTrace, a => a.SpanId == backendCall.ParentSpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal(clientSpan, request.ParentSpanId);
        Assert.Equal(ns, backendCall.GetTagItem("prism.namespace"));
        Assert.Equal("memstore", backendCall.GetTagItem("prism.backend"));
    }
}
