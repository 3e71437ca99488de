using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Proxy;

/// <summary>The proxy's limits and intervals, read once at start from <see cref="ProxySettings"/>.</summary>
internal sealed record ProxyOptions(
    string ProxyId,
    int MaxKeyBytes,
    int MaxValueBytes,
    int MaxBatchItems,
    int MaxRequestBytes,
    TimeSpan ControlPollInterval,
    TimeSpan SessionFlushInterval,
    TimeSpan SessionIdleTimeout,
    TimeSpan NamespaceRefreshInterval,
    TimeSpan LeaseHolderTimeout,
    TimeSpan LeaseSweepInterval)
{
    /// <summary>Reads and validates the settings with their typed accessors.</summary>
    /// <exception cref="ConfigurationException">A bad value; the message names its key and variable.</exception>
    public static ProxyOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ProxyOptions(
            ProxySettings.ProxyId.Text(configuration) is { Length: > 0 } id ? id : $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}",
            ProxySettings.MaxKeyBytes.PositiveInt(configuration),
            ProxySettings.MaxValueBytes.PositiveInt(configuration),
            ProxySettings.MaxBatchItems.PositiveInt(configuration),
            ProxySettings.MaxRequestBytes.PositiveInt(configuration),
            ProxySettings.ControlPollInterval.Duration(configuration),
            ProxySettings.SessionFlushInterval.Duration(configuration),
            ProxySettings.SessionIdleTimeout.Duration(configuration),
            ProxySettings.NamespaceRefreshInterval.Duration(configuration),
            ProxySettings.LeaseHolderTimeout.Duration(configuration),
            ProxySettings.LeaseSweepInterval.Duration(configuration));
        if ((long)options.MaxKeyBytes + options.MaxValueBytes >= options.MaxRequestBytes)
        {
            throw new ConfigurationException(
                $"{ProxySettings.MaxRequestBytes.Display} must be larger than {ProxySettings.MaxKeyBytes.Display} + {ProxySettings.MaxValueBytes.Display}; "
                + $"got {options.MaxRequestBytes} <= {options.MaxKeyBytes} + {options.MaxValueBytes}.");
        }

        return options;
    }
}
