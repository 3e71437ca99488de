using Microsoft.Extensions.Logging;
using Prism.Hosting.Tls;

namespace Prism.Backends.Types;

/// <summary>What every connection and driver of a process shares.</summary>
/// <param name="Time">The clock.</param>
/// <param name="Options">Driver tuning from the backend settings.</param>
/// <param name="Loggers">Logger factory.</param>
/// <param name="ConnectTimeout">How long connecting or a health round trip may take.</param>
public sealed record BackendContext(TimeProvider Time, BackendDriverOptions Options, ILoggerFactory Loggers, TimeSpan ConnectTimeout)
{
    /// <summary>Trust and client certificate of connections to backends over TLS (PRISM_TLS_CA_FILE, PRISM_TLS_CLIENT_CERT_FILE).</summary>
    public OutboundTls Tls { get; init; } = OutboundTls.SystemDefault;
}
