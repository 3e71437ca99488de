using System.Text;
using Prism.ControlStore;

namespace Prism.Proxy.Routing;

/// <summary>Size limits of keys, values and batches; each refusal names the limit and its setting.</summary>
internal sealed class RequestLimits(ProxyOptions options)
{
    /// <summary>Refuses an empty key or one longer than the key limit.</summary>
    public void CheckKey(string key, string field = "key")
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument, $"{field} must not be empty");
        }

        // Cheap bound first: a UTF-8 encoding never takes more than 3 bytes per UTF-16 char.
        if (key.Length * 3 > options.MaxKeyBytes && Encoding.UTF8.GetByteCount(key) is var bytes && bytes > options.MaxKeyBytes)
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                $"{field} is {bytes} bytes; the limit is {options.MaxKeyBytes} bytes ({ProxySettings.MaxKeyBytes.EnvironmentVariable})");
        }
    }

    /// <summary>Refuses a value larger than the value limit (or the namespace's lower quota).</summary>
    public void CheckValue(int length, NamespaceRecord @namespace, string field = "value")
    {
        var quota = @namespace.Quotas.MaxValueBytes;
        if (quota > 0 && quota < options.MaxValueBytes && length > quota)
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                $"{field} is {length} bytes; namespace '{@namespace.Name}' allows at most {quota} bytes (quota max_value_bytes)");
        }

        if (length > options.MaxValueBytes)
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                $"{field} is {length} bytes; the limit is {options.MaxValueBytes} bytes ({ProxySettings.MaxValueBytes.EnvironmentVariable})");
        }
    }

    /// <summary>Refuses a batch with more items than the batch limit.</summary>
    public void CheckBatch(int count)
    {
        if (count > options.MaxBatchItems)
        {
            throw new DataPlaneException(DataPlaneFailure.InvalidArgument,
                $"batch has {count} items; the limit is {options.MaxBatchItems} ({ProxySettings.MaxBatchItems.EnvironmentVariable})");
        }
    }
}
