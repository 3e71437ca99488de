using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends.Drivers.Nats;

/// <summary>NATS: pub/sub, durable through JetStream, and queues on JetStream consumers; one connection per instance.</summary>
public sealed class NatsBackendType() : UrlBackendType(UrlSetting,
    "nats://[user:pass@]host:port of a server with JetStream enabled.")
{
    /// <summary>NATS server of the default instance.</summary>
    public static readonly Setting UrlSetting = new("PRISM_NATS_URL", "backends:nats:url", "nats://127.0.0.1:4222",
        "NATS server of the 'nats' instance (JetStream enabled for durable topics).")
    {
        Secret = true,
    };

    /// <inheritdoc />
    public override string Name => "nats";

    /// <inheritdoc />
    public override IReadOnlySet<string> Capabilities { get; } =
        new HashSet<string>
        {
            Backends.Capabilities.PubSubBasic, Backends.Capabilities.PubSubDurable,
            Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter, Backends.Capabilities.QueueDurable,
        };

    /// <inheritdoc />
    public override TelemetrySystem Telemetry { get; } = new("messaging.system", "nats");

    /// <inheritdoc />
    public override string Endpoint(BackendInstanceSpec spec) => ConnectionStrings.DisplayUrl(NatsUrl(spec));

    /// <inheritdoc />
    public override BackendConnection Open(BackendInstanceSpec spec, BackendContext context) => new NatsBackendConnection(NatsUrl(spec), context);

    private static string NatsUrl(BackendInstanceSpec spec)
    {
        var url = Url(spec);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "nats" or "tls" or "ws" or "wss"
            ? url
            : throw new BackendSpecException("setting 'url' is not a nats:// URL");
    }

    private sealed class NatsBackendConnection(string url, BackendContext context) : BackendConnection
    {
        private readonly Lazy<NatsConnection> _nats = new(() => new NatsConnection(new NatsOpts
        {
            Url = url,
            Name = "prism",
            ConnectTimeout = context.ConnectTimeout,
            TlsOpts = TlsOptions(context.Tls, url),
        }));

        /// <summary>
        /// tls:// (or a server that offers TLS): trust PRISM_TLS_CA_FILE and present PRISM_TLS_CLIENT_CERT_FILE when asked.
        /// The mode is explicit because NATS.Net's Auto mode requires TLS as soon as certificates are configured,
        /// which would refuse a plain nats:// server in a process whose other connections use TLS.
        /// </summary>
        private static NatsTlsOpts TlsOptions(Hosting.Tls.OutboundTls tls, string url) =>
            tls.ExtraRoots is null && tls.ClientCertificate is null
                ? NatsTlsOpts.Default
                : new NatsTlsOpts
                {
                    Mode = url.StartsWith("tls://", StringComparison.OrdinalIgnoreCase) ? TlsMode.Require : TlsMode.Prefer,
                    ConfigureClientAuthentication = options =>
                    {
                        tls.Apply(options);
                        return ValueTask.CompletedTask;
                    },
                };

        public override async Task PingAsync(CancellationToken cancellation) => await _nats.Value.PingAsync(cancellation);

        public override object? CreateDriver(string pattern) => pattern switch
        {
            Patterns.PubSub => new NatsPubSub(_nats.Value, context.Time, context.Options, context.Loggers.CreateLogger<NatsPubSub>()),
            Patterns.Queue => new NatsQueue(_nats.Value, context.Time, context.Options, context.Loggers.CreateLogger<NatsQueue>()),
            _ => null,
        };

        public override async ValueTask DisposeAsync()
        {
            if (_nats.IsValueCreated)
            {
                await _nats.Value.DisposeAsync();
            }

            await base.DisposeAsync();
        }
    }
}
