using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;

namespace Prism.Backends.Drivers.Nats;

/// <summary>NATS: pub/sub, durable through JetStream, and queues on JetStream consumers; one connection per instance.</summary>
public sealed class NatsBackendType() : UrlBackendType(UrlSetting,
    "nats://[user:pass@]host:port of a server with JetStream enabled, or a comma-separated list of a cluster's servers (nats://h1:4222,h2:4222,h3:4222; tls:// for TLS).")
{
    /// <summary>The instance setting of the streams' replica count.</summary>
    public const string ReplicasKey = "replicas";

    /// <summary>Most replicas JetStream keeps of a stream.</summary>
    public const int MaxReplicas = 5;

    /// <summary>NATS server of the default instance.</summary>
    public static readonly Setting UrlSetting = new("PRISM_NATS_URL", "backends:nats:url", "nats://127.0.0.1:4222",
        "NATS server of the 'nats' instance (JetStream enabled for durable topics).")
    {
        Secret = true,
    };

    /// <summary>Replicas of the default instance's streams.</summary>
    public static readonly Setting ReplicasSetting = new("PRISM_NATS_REPLICAS", "backends:nats:replicas", "1",
        "Replicas JetStream keeps of each stream the 'nats' instance creates (pub/sub, queues, dead letters): 1 for a single server, 3 on a 3-node cluster so losing a node loses no acknowledged message.");

    /// <inheritdoc />
    public override string Name => "nats";

    /// <inheritdoc />
    public override IReadOnlyList<BackendSettingSpec> InstanceSettings =>
    [
        .. base.InstanceSettings,
        new(ReplicasKey, Secret: false, Required: false,
            $"Replicas JetStream keeps of each stream the instance creates, 1 to {MaxReplicas} (default 1); 3 on a 3-node cluster."),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<Setting> ConfigurationSettings => [UrlSetting, ReplicasSetting];

    /// <inheritdoc />
    public override BackendInstanceSpec DefaultInstance(IConfiguration configuration, PrismHome home)
    {
        var replicas = ReplicasSetting.PositiveInt(configuration);
        if (replicas > MaxReplicas)
        {
            throw ConfigurationException.Invalid(ReplicasSetting, replicas.ToString(CultureInfo.InvariantCulture), $"a whole number from 1 to {MaxReplicas}");
        }

        var spec = base.DefaultInstance(configuration, home);
        return replicas == 1 ? spec : spec with { Values = new Dictionary<string, string>(spec.Values) { [ReplicasKey] = replicas.ToString(CultureInfo.InvariantCulture) } };
    }

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
    public override string Endpoint(BackendInstanceSpec spec)
    {
        _ = Replicas(spec);
        return NatsServers.Display(NatsServers.Normalize(Url(spec)));
    }

    /// <inheritdoc />
    public override BackendConnection Open(BackendInstanceSpec spec, BackendContext context) =>
        new NatsBackendConnection(NatsServers.Normalize(Url(spec)), Replicas(spec), context);

    private static int Replicas(BackendInstanceSpec spec) =>
        spec.Value(ReplicasKey) is not { } text ? 1
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= MaxReplicas ? replicas
        : throw new BackendSpecException($"setting '{ReplicasKey}' is not a whole number from 1 to {MaxReplicas}");

    private sealed class NatsBackendConnection(string url, int replicas, BackendContext context) : BackendConnection
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
            Patterns.PubSub => new NatsPubSub(_nats.Value, context.Time, context.Options, context.Loggers.CreateLogger<NatsPubSub>(), replicas),
            Patterns.Queue => new NatsQueue(_nats.Value, context.Time, context.Options, context.Loggers.CreateLogger<NatsQueue>(), replicas),
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
