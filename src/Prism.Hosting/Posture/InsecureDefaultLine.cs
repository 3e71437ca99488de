using System.Globalization;
using Prism.Hosting.Logging;

namespace Prism.Hosting.Posture;

/// <summary>
/// The development warning as a logfmt line, for processes Prism starts but does not host
/// (Redis, PostgreSQL, NATS under <c>prism dev up</c>): the same line a module logs.
/// </summary>
public static class InsecureDefaultLine
{
    /// <summary>The line for <paramref name="item"/>, stamped now.</summary>
    public static string For(InsecureDefault item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return $"ts={DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} level=WARN "
            + $"msg=\"{DeploymentPosture.WarningMessage}\" env=dev dependency={Logfmt.Quote(item.Dependency)} prod_delta={Logfmt.Quote(item.ProductionDelta)}";
    }
}
