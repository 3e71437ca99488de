using System.Globalization;
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

    /// <summary>Reads every limit that <paramref name="configuration"/> sets; a non-number leaves -1 for the validator to report.</summary>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        MaxSpans = Read(configuration, ViewerSettings.MaxSpans, MaxSpans);
        MaxTraces = Read(configuration, ViewerSettings.MaxTraces, MaxTraces);
        MaxLogs = Read(configuration, ViewerSettings.MaxLogs, MaxLogs);
        MaxMetricPoints = Read(configuration, ViewerSettings.MaxMetricPoints, MaxMetricPoints);
        MaxAttributes = Read(configuration, ViewerSettings.MaxAttributes, MaxAttributes);
        MaxAttributeLength = Read(configuration, ViewerSettings.MaxAttributeLength, MaxAttributeLength);
    }

    private static int Read(IConfiguration configuration, Setting setting, int fallback) =>
        configuration[setting.Key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}

/// <summary>Rejects limits below 1, naming the key and environment variable.</summary>
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
