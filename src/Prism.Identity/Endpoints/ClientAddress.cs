using Microsoft.AspNetCore.Http;

namespace Prism.Identity.Endpoints;

/// <summary>The address sign-in throttles and rate limits count by: the TCP peer (IPv4-mapped IPv6 folded to IPv4).</summary>
internal static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
