using Grpc.Core;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Operations;

namespace Prism.Proxy.Grpc;

/// <summary><c>prism.interfaces.keyvalue.KeyValueBasicInterface</c>: translation only.</summary>
internal sealed class KeyValueBasicService(KeyValueOperations operations) : KeyValueBasicInterface.KeyValueBasicInterfaceBase
{
    private static readonly SetResponse SetOk = new() { Success = true };
    private static readonly DeleteResponse DeleteOk = new() { Success = true };

    /// <inheritdoc />
    public override async Task<SetResponse> Set(SetRequest request, ServerCallContext context)
    {
        await operations.SetAsync(context.Caller(), request.Key, request.Value.Memory, request.Tags?.Tags_.ToDictionary(), context.CancellationToken);
        return SetOk;
    }

    /// <inheritdoc />
    public override async Task<GetResponse> Get(GetRequest request, ServerCallContext context)
    {
        var lookup = await operations.GetAsync(context.Caller(), request.Key, context.CancellationToken);
        return new GetResponse { Found = lookup.Found, Value = lookup.Value.ToByteString() };
    }

    /// <inheritdoc />
    public override async Task<DeleteResponse> Delete(DeleteRequest request, ServerCallContext context)
    {
        await operations.DeleteAsync(context.Caller(), request.Key, context.CancellationToken);
        return DeleteOk;
    }

    /// <inheritdoc />
    public override async Task<ExistsResponse> Exists(ExistsRequest request, ServerCallContext context) =>
        new() { Exists = await operations.ExistsAsync(context.Caller(), request.Key, context.CancellationToken) };
}
