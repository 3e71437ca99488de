using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace PrismService.Health;

/// <summary>Ready once the issuer's discovery document and keys have loaded: until then no token can be validated.</summary>
public sealed class IssuerHealthCheck(IOptionsMonitor<JwtBearerOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var bearer = options.Get(JwtBearerDefaults.AuthenticationScheme);
        if (bearer.ConfigurationManager is null)
        {
            return HealthCheckResult.Unhealthy("no issuer configured");
        }

        try
        {
            var configuration = await bearer.ConfigurationManager.GetConfigurationAsync(cancellationToken);
            return configuration.SigningKeys.Count > 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("the issuer publishes no signing keys");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"issuer {bearer.Authority} unreachable: {error.GetType().Name}");
        }
    }
}
