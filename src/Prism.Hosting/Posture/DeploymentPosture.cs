using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Posture;

/// <summary>
/// Applies the dev/production posture at module start: in development every active insecure
/// default is logged once; in production any of them stops the start-up.
/// </summary>
public static class DeploymentPosture
{
    /// <summary>The exact message of the development warning line.</summary>
    public const string WarningMessage = "insecure default active in dev mode";

    /// <summary>True when PRISM_ENV is <c>production</c>; a value other than <c>dev</c> or <c>production</c> throws.</summary>
    /// <exception cref="ConfigurationException">PRISM_ENV is not one of its accepted values.</exception>
    public static bool IsProduction(IConfiguration configuration) => CoreSettings.IsProduction(configuration);

    /// <summary>Logs or refuses the active insecure defaults of one module.</summary>
    /// <exception cref="ProductionPostureException">In production, when any default is active.</exception>
    /// <exception cref="ConfigurationException">PRISM_ENV is not one of its accepted values.</exception>
    public static void Enforce(IConfiguration configuration, ILogger logger, IReadOnlyCollection<InsecureDefault> active)
    {
        var production = IsProduction(configuration);
        if (active.Count == 0)
        {
            return;
        }

        if (production)
        {
            var refused = active.Where(a => a.RefusedInProduction).ToList();
            if (refused.Count > 0)
            {
                throw new ProductionPostureException(refused);
            }

            return;
        }

        foreach (var item in active)
        {
            // The fields travel as structured state so the logfmt line reads exactly
            // `msg="insecure default active in dev mode" env=dev dependency=… prod_delta=…`.
            KeyValuePair<string, object?>[] fields =
            [
                new("env", "dev"),
                new("dependency", item.Dependency),
                new("prod_delta", item.ProductionDelta),
                new("{OriginalFormat}", WarningMessage),
            ];
            logger.Log(LogLevel.Warning, InsecureDefaultEvent, fields, null, static (_, _) => WarningMessage);
        }
    }

    private static readonly EventId InsecureDefaultEvent = new(1, "InsecureDefault");
}

/// <summary>
/// Start-up refused because PRISM_ENV=production and development fixtures are active: a configuration
/// error with one line per offending setting.
/// </summary>
public sealed class ProductionPostureException(IReadOnlyCollection<InsecureDefault> offending)
    : ConfigurationException(string.Join(System.Environment.NewLine, offending.Select(o =>
        $"PRISM_ENV=production refuses a development fixture: {o.Setting} ({o.Dependency}). {o.ProductionDelta}")))
{
    /// <summary>Every offending default, one message each.</summary>
    public IReadOnlyCollection<InsecureDefault> Offending { get; } = offending;
}
