using Grpc.Core;
using Prism.Cli.Commands;

namespace Prism.Cli.Tests;

/// <summary>How failures that never reached a server are told: as unavailable (exit 7), whichever status gRPC gives them.</summary>
public sealed class ErrorReporterTests
{
    private static readonly Uri Admin = new("https://127.0.0.1:50052");

    [Fact]
    public void ConnectionNotEstablished_ReportedByGrpcAsInternal_IsUnavailable()
    {
        var refused = new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.",
            new HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.")));

        var (code, message) = ErrorReporter.Describe(refused, Admin);

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.StartsWith($"unavailable: admin server {Admin} could not be reached (", message, StringComparison.Ordinal);
    }

    [Fact]
    public void InternalFromTheServer_StaysAnError()
    {
        var (code, message) = ErrorReporter.Describe(new RpcException(new Status(StatusCode.Internal, "boom")), Admin);

        Assert.Equal(ExitCodes.Error, code);
        Assert.Equal("Internal: boom", message);
    }
}
