using Microsoft.Extensions.Logging;
using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Backends.Types;
using Prism.Hosting.Settings;
using StackExchange.Redis;

namespace Prism.Backends.Drivers.Redis;

/// <summary>Redis: key-value on strings and queues on streams, one multiplexer per instance.</summary>
public sealed class RedisBackendType() : UrlBackendType(UrlSetting,
    "redis://[user:pass@]host:port[,host:port…] or host:port[,host:port…][,password=…] (StackExchange.Redis form); several hosts for Redis Cluster.")
{
    /// <summary>Redis endpoint of the default instance.</summary>
    public static readonly Setting UrlSetting = new("PRISM_REDIS_URL", "backends:redis:url", "127.0.0.1:6379",
        "Redis endpoint of the 'redis' instance, in StackExchange.Redis form (host:port[,password=…]) or redis://[user:pass@]host:port; comma-separated hosts for Redis Cluster.")
    {
        Secret = true,
    };

    /// <inheritdoc />
    public override string Name => "redis";

    /// <inheritdoc />
    public override IReadOnlySet<string> Capabilities { get; } =
        new HashSet<string>
        {
            Backends.Capabilities.KeyValueBasic, Backends.Capabilities.KeyValueTtl, Backends.Capabilities.KeyValueBatch,
            Backends.Capabilities.QueueBasic, Backends.Capabilities.QueueDeadLetter, Backends.Capabilities.QueueDurable,
        };

    /// <inheritdoc />
    public override TelemetrySystem Telemetry { get; } = new("db.system.name", "redis");

    /// <inheritdoc />
    public override string Endpoint(BackendInstanceSpec spec) => ConnectionStrings.DisplayRedis(Configuration(spec));

    /// <inheritdoc />
    public override BackendConnection Open(BackendInstanceSpec spec, BackendContext context) => new RedisConnection(Options(spec), context);

    /// <inheritdoc />
    public override bool IssuesCredentials => true;

    /// <summary>The session's own multiplexer (one interactive connection, no subscription connection), authenticated as its ACL user.</summary>
    public override BackendConnection OpenAs(BackendInstanceSpec spec, SessionCredential credential, BackendContext context)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var options = Options(spec);
        options.User = credential.Principal;
        options.Password = credential.Secret;
        // The user may not subscribe, read the configuration or list clients: do not ask.
        options.ConfigurationChannel = "";
        options.SetClientLibrary = false;
        options.CommandMap = CommandMap.Create(["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "CONFIG", "CLIENT LIST", "SENTINEL"], available: false);
        return new RedisConnection(options, context);
    }

    private static string Configuration(BackendInstanceSpec spec)
    {
        try
        {
            return ConnectionStrings.Redis(Url(spec));
        }
        catch (UriFormatException)
        {
            throw new BackendSpecException("setting 'url' is not a redis:// URL or host:port");
        }
    }

    private static ConfigurationOptions Options(BackendInstanceSpec spec)
    {
        try
        {
            return ConfigurationOptions.Parse(Configuration(spec));
        }
        catch (ArgumentException)
        {
            throw new BackendSpecException("setting 'url' is not a valid Redis configuration");
        }
    }

    private sealed class RedisConnection(ConfigurationOptions options, BackendContext context) : BackendConnection
    {
        private readonly Lazy<Task<ConnectionMultiplexer>> _redis = new(() => ConnectAsync(options, context));
        private RedisAclCredentials? _credentials;

        public override ICredentialSource Credentials => _credentials ??= new RedisAclCredentials(() => _redis.Value);

        public override async Task PingAsync(CancellationToken cancellation)
        {
            var redis = await _redis.Value.WaitAsync(cancellation);
            if (!redis.IsConnected)
            {
                throw new InvalidOperationException("not connected");
            }

            await (RedisSlots.IsCluster(redis) ? RedisSlots.PingClusterAsync(redis) : redis.GetDatabase().PingAsync()).WaitAsync(cancellation);
        }

        public override object? CreateDriver(string pattern) => pattern switch
        {
            Patterns.KeyValue => new RedisKeyValueStore(async () => await _redis.Value, context.Loggers.CreateLogger<RedisKeyValueStore>()),
            Patterns.Queue => new RedisQueue(async () => await _redis.Value, context.Time, context.Options, context.Loggers.CreateLogger<RedisQueue>()),
            _ => null,
        };

        public override async ValueTask DisposeAsync()
        {
            if (_redis.IsValueCreated)
            {
                await (await _redis.Value).DisposeAsync();
            }

            await base.DisposeAsync();
        }

        private static async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions options, BackendContext context)
        {
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = (int)context.ConnectTimeout.TotalMilliseconds;
            options.ClientName = "prism";
            // Fail at once while disconnected (the proxy answers UNAVAILABLE) instead of queueing until a timeout.
            options.BacklogPolicy = BacklogPolicy.FailFast;
            if (options.Ssl)
            {
                UseTls(options, context.Tls);
            }

            return await ConnectionMultiplexer.ConnectAsync(options);
        }

        /// <summary>rediss:// (ssl=true): trust PRISM_TLS_CA_FILE and present PRISM_TLS_CLIENT_CERT_FILE when the server asks.</summary>
        private static void UseTls(ConfigurationOptions options, Hosting.Tls.OutboundTls tls)
        {
            if (tls.ExtraRoots is not null)
            {
                var validator = tls.ServerValidator;
                options.CertificateValidation += (sender, certificate, chain, errors) => validator(sender, certificate, chain, errors);
            }

            if (tls.ClientCertificate is { } client)
            {
                options.CertificateSelection += (_, _, _, _, _) => client;
            }
        }
    }
}
