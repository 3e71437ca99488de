using Grpc.Core;

namespace Prism.Proxy.Tests.Support;

/// <summary>Assertions on gRPC failures.</summary>
public static class Rpc
{
    /// <summary>Runs <paramref name="call"/> and returns the RpcException it must fail with, checking its code.</summary>
    public static async Task<RpcException> FailsAsync<T>(StatusCode code, Func<Task<T>> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call().WaitAsync(Timeouts.Await));
        Assert.True(error.StatusCode == code, $"expected {code}, got {error.StatusCode}: {error.Status.Detail}");
        return error;
    }

    /// <summary>Same, for a unary call.</summary>
    public static Task<RpcException> FailsAsync<T>(StatusCode code, AsyncUnaryCall<T> call) => FailsAsync(code, () => call.ResponseAsync);
}
