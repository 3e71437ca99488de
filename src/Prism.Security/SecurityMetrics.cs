using System.Diagnostics.Metrics;

namespace Prism.Security;

/// <summary>Counters of the security core, created from the host's <see cref="IMeterFactory"/>.</summary>
public sealed class SecurityMetrics
{
    private readonly Counter<long> _validations;
    private readonly Counter<long> _keyFetches;

    /// <summary>Creates the counters on the <see cref="SecurityTelemetry.MeterName"/> meter.</summary>
    public SecurityMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(SecurityTelemetry.MeterName);
        _validations = meter.CreateCounter<long>(SecurityTelemetry.ValidationsCounter, description: "Bearer token validations by outcome.");
        _keyFetches = meter.CreateCounter<long>(SecurityTelemetry.KeyFetchesCounter, description: "Discovery and JWKS fetches by reason and result.");
    }

    internal void Validation(string outcome) => _validations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void KeyFetch(string reason, bool succeeded) => _keyFetches.Add(1,
        new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("result", succeeded ? "ok" : "error"));
}
