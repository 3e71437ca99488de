using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Prism.Telemetry.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.trace.v1.TraceService</c>.</summary>
public sealed class OtlpGrpcTraceService(OtlpIngest ingest) : TraceService.TraceServiceBase
{
    /// <inheritdoc />
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingest.Accept(request));
}

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.metrics.v1.MetricsService</c>.</summary>
public sealed class OtlpGrpcMetricsService(OtlpIngest ingest) : MetricsService.MetricsServiceBase
{
    /// <inheritdoc />
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingest.Accept(request));
}

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.logs.v1.LogsService</c>.</summary>
public sealed class OtlpGrpcLogsService(OtlpIngest ingest) : LogsService.LogsServiceBase
{
    /// <inheritdoc />
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingest.Accept(request));
}
