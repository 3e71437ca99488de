using Grpc.Core;

namespace Prism.Admin.Grpc;

/// <summary>The IP address a call came from (without the port), for rate limits and audit.</summary>
internal static class ClientAddresses
{
    public static string? Of(ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress;
        return address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
