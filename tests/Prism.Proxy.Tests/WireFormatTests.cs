using Grpc.Core;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>
/// Requests that are not valid protobuf for their message: a string field with invalid UTF-8, or bytes that do
/// not parse. Generated clients cannot send them; hostile or broken ones can.
/// </summary>
public class WireFormatTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private ProxyServer Server => fixture.Server;

    [Fact]
    public async Task KeyWithInvalidUtf8_IsInvalidArgument_NamingTheField()
    {
        var ns = await Server.CreateNamespaceAsync();
        // GetRequest field 1 (key): length 2, bytes 0xC3 0x28 (a broken two-byte sequence).
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => CallRawAsync(KeyValueBasicInterface.Descriptor.FullName, "Get", [0x0A, 0x02, 0xC3, 0x28], ns));

        Assert.Contains("UTF-8", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("GetRequest", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BytesThatAreNotTheMessage_AreInvalidArgument()
    {
        var ns = await Server.CreateNamespaceAsync();
        // Field 1 says 100 bytes follow; 2 do.
        var error = await Rpc.FailsAsync(StatusCode.InvalidArgument, () => CallRawAsync(KeyValueBasicInterface.Descriptor.FullName, "Set", [0x0A, 0x64, 0x61, 0x62], ns));

        Assert.Contains("SetRequest", error.Status.Detail, StringComparison.Ordinal);
    }

    private Task<byte[]> CallRawAsync(string service, string method, byte[] body, string ns)
    {
        var call = Server.Channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, service, method, Raw, Raw), null, ProxyServer.Call(Server.TokenFor(), ns), body);
        return call.ResponseAsync;
    }
}
