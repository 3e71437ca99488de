using Grpc.Core;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Operations;

namespace Prism.Proxy.Grpc;

/// <summary><c>prism.interfaces.keyvalue.KeyValueTTLInterface</c>: translation only.</summary>
internal sealed class KeyValueTtlService(KeyValueOperations operations) : KeyValueTTLInterface.KeyValueTTLInterfaceBase
{
    /// <inheritdoc />
    public override async Task<ExpireResponse> Expire(ExpireRequest request, ServerCallContext context) =>
        new() { Success = true, KeyExisted = await operations.ExpireAsync(context.Caller(), request.Key, request.TtlSeconds, context.CancellationToken) };

    /// <inheritdoc />
    public override async Task<GetTTLResponse> GetTTL(GetTTLRequest request, ServerCallContext context) =>
        new() { TtlSeconds = await operations.GetTtlAsync(context.Caller(), request.Key, context.CancellationToken) };

    /// <inheritdoc />
    public override async Task<PersistResponse> Persist(PersistRequest request, ServerCallContext context) =>
        new() { Success = true, ExpirationRemoved = await operations.PersistAsync(context.Caller(), request.Key, context.CancellationToken) };
}
