using Google.Protobuf;
using Google.Protobuf.Collections;
using Grpc.Core;
using Prism.Proxy.Routing;

namespace Prism.Proxy.Grpc;

/// <summary>Reads the caller from gRPC metadata and converts wire types.</summary>
internal static class ProxyCalls
{
    public static DataPlaneCaller Caller(this ServerCallContext context)
    {
        string? authorization = null;
        string? @namespace = null;
        foreach (var entry in context.RequestHeaders)
        {
            if (entry.IsBinary)
            {
                continue;
            }

            if (entry.Key == DataPlaneCaller.AuthorizationHeader)
            {
                authorization = entry.Value;
            }
            else if (entry.Key == DataPlaneCaller.NamespaceHeader)
            {
                @namespace = entry.Value;
            }
        }

        return new DataPlaneCaller(authorization, @namespace);
    }

    public static IReadOnlyDictionary<string, string>? ToDictionary(this MapField<string, string>? map) =>
        map is null || map.Count == 0 ? null : new Dictionary<string, string>(map, StringComparer.Ordinal);

    public static ByteString ToByteString(this ReadOnlyMemory<byte> bytes) =>
        bytes.IsEmpty ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(bytes);
}
