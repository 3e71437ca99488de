using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Prism.Hosting.Settings;

namespace Prism.Telemetry.Store;

/// <summary>Bounds of the in-memory store; read from the <see cref="ViewerSettings.Limits"/> settings.</summary>
public sealed class StoreLimits
{
    /// <summary>Most spans kept.</summary>
    public int MaxSpans { get; set; } = 20_000;

    /// <summary>Most traces kept.</summary>
    public int MaxTraces { get; set; } = 2_000;

    /// <summary>Most log records kept.</summary>
    public int MaxLogs { get; set; } = 20_000;

    /// <summary>Most metric points kept.</summary>
    public int MaxMetricPoints { get; set; } = 50_000;

    /// <summary>Most attributes per item.</summary>
    public int MaxAttributes { get; set; } = 64;

    /// <summary>Longest attribute value, in characters.</summary>
    public int MaxAttributeLength { get; set; } = 1024;

    /// <summary>Most memory the stored items take (estimated), in MiB.</summary>
    public int MaxStoreMegabytes { get; set; } = 128;

    /// <summary><see cref="MaxStoreMegabytes"/> in bytes.</summary>
    public long MaxStoreBytes => MaxStoreMegabytes * 1024L * 1024L;

    /// <summary>Reads every limit with <see cref="Setting.PositiveInt"/>.</summary>
    /// <exception cref="ConfigurationException">A limit that is not a positive whole number; the message names its key and variable.</exception>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        MaxSpans = ViewerSettings.MaxSpans.PositiveInt(configuration);
        MaxTraces = ViewerSettings.MaxTraces.PositiveInt(configuration);
        MaxLogs = ViewerSettings.MaxLogs.PositiveInt(configuration);
        MaxMetricPoints = ViewerSettings.MaxMetricPoints.PositiveInt(configuration);
        MaxAttributes = ViewerSettings.MaxAttributes.PositiveInt(configuration);
        MaxAttributeLength = ViewerSettings.MaxAttributeLength.PositiveInt(configuration);
        MaxStoreMegabytes = ViewerSettings.MaxStoreMegabytes.PositiveInt(configuration);
    }
}

/// <summary>Rejects limits below 1 set in code (configuration is checked as it is read), naming the key and environment variable.</summary>
public sealed class StoreLimitsValidator : IValidateOptions<StoreLimits>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StoreLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(options.MaxSpans, ViewerSettings.MaxSpans);
        Check(options.MaxTraces, ViewerSettings.MaxTraces);
        Check(options.MaxLogs, ViewerSettings.MaxLogs);
        Check(options.MaxMetricPoints, ViewerSettings.MaxMetricPoints);
        Check(options.MaxAttributes, ViewerSettings.MaxAttributes);
        Check(options.MaxAttributeLength, ViewerSettings.MaxAttributeLength);
        Check(options.MaxStoreMegabytes, ViewerSettings.MaxStoreMegabytes);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(int value, Setting setting)
        {
            if (value < 1)
            {
                failures.Add($"{setting.Display} must be a whole number of at least 1.");
            }
        }
    }
}
