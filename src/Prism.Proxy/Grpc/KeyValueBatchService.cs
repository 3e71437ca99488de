using Grpc.Core;
using Prism.Backends.KeyValue;
using Prism.Interfaces.KeyValue;
using Prism.Proxy.Operations;

namespace Prism.Proxy.Grpc;

/// <summary><c>prism.interfaces.keyvalue.KeyValueBatchInterface</c>: translation only; one result per item, in order.</summary>
internal sealed class KeyValueBatchService(KeyValueOperations operations) : KeyValueBatchInterface.KeyValueBatchInterfaceBase
{
    /// <inheritdoc />
    public override async Task<BatchSetResponse> BatchSet(BatchSetRequest request, ServerCallContext context)
    {
        var items = request.Requests.Select(r => new KeyValueWrite(r.Key, r.Value.Memory, r.Tags?.Tags_.ToDictionary())).ToList();
        var results = await operations.BatchSetAsync(context.Caller(), items, context.CancellationToken);
        var response = new BatchSetResponse { AllSuccess = results.All(r => r.Success) };
        response.Results.AddRange(results.Select(r => new SetResponse { Success = r.Success, Error = r.Success ? "" : r.Error ?? "not stored" }));
        return response;
    }

    /// <inheritdoc />
    public override async Task<BatchGetResponse> BatchGet(BatchGetRequest request, ServerCallContext context)
    {
        var lookups = await operations.BatchGetAsync(context.Caller(), request.Keys, context.CancellationToken);
        var response = new BatchGetResponse { FoundCount = lookups.Count(l => l.Found) };
        response.Results.AddRange(lookups.Select(l => new GetResponse { Found = l.Found, Value = l.Value.ToByteString() }));
        return response;
    }

    /// <inheritdoc />
    public override async Task<BatchDeleteResponse> BatchDelete(BatchDeleteRequest request, ServerCallContext context)
    {
        var results = await operations.BatchDeleteAsync(context.Caller(), request.Keys, context.CancellationToken);
        var response = new BatchDeleteResponse { AllSuccess = results.All(r => r.Success) };
        response.Results.AddRange(results.Select(r => new DeleteResponse { Success = r.Success, Error = r.Success ? "" : r.Error ?? "not deleted" }));
        return response;
    }
}
