using System.Globalization;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Proxy;

/// <summary>The proxy's limits and intervals, read once at start from <see cref="ProxySettings"/>.</summary>
public sealed record ProxyOptions(
    string ProxyId,
    int MaxKeyBytes,
    int MaxValueBytes,
    int MaxBatchItems,
    int MaxRequestBytes,
    TimeSpan ControlPollInterval,
    TimeSpan SessionFlushInterval,
    TimeSpan SessionIdleTimeout,
    TimeSpan NamespaceRefreshInterval)
{
    /// <summary>Reads and validates the settings; a bad value throws naming its key and variable.</summary>
    public static ProxyOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ProxyOptions(
            configuration[ProxySettings.ProxyId.Key] is { Length: > 0 } id ? id : $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}",
            Positive(configuration, ProxySettings.MaxKeyBytes),
            Positive(configuration, ProxySettings.MaxValueBytes),
            Positive(configuration, ProxySettings.MaxBatchItems),
            Positive(configuration, ProxySettings.MaxRequestBytes),
            TimeSpan.FromMilliseconds(Positive(configuration, ProxySettings.ControlPollMs)),
            TimeSpan.FromMilliseconds(Positive(configuration, ProxySettings.SessionFlushMs)),
            TimeSpan.FromSeconds(Positive(configuration, ProxySettings.SessionIdleSeconds)),
            TimeSpan.FromMilliseconds(Positive(configuration, ProxySettings.NamespaceRefreshMs)));
        if ((long)options.MaxKeyBytes + options.MaxValueBytes >= options.MaxRequestBytes)
        {
            throw new InvalidOperationException(
                $"{ProxySettings.MaxRequestBytes.Display} must be larger than {ProxySettings.MaxKeyBytes.Display} + {ProxySettings.MaxValueBytes.Display}.");
        }

        return options;
    }

    private static int Positive(IConfiguration configuration, Setting setting)
    {
        var text = configuration[setting.Key] is { Length: > 0 } value ? value : setting.DefaultValue!;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new InvalidOperationException($"{setting.Display} must be a positive whole number; got '{text}'.");
    }
}
