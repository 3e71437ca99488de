namespace Prism.Testing.Servers;

/// <summary>One redis-server shared by a test collection (use with <c>ICollectionFixture</c>).</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public RedisServer Server { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Server.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One nats-server (JetStream) shared by a test collection (use with <c>ICollectionFixture</c>).</summary>
public sealed class NatsFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public NatsServer Server { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Server.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// One redis-server listening only on TLS (<c>--tls-port</c>) with certificates made for the test, refusing clients
/// without a client certificate from the same CA (use with <c>ICollectionFixture</c> or <c>IClassFixture</c>).
/// </summary>
public sealed class RedisTlsFixture() : TlsServerFixture<RedisServer>(certificates => new RedisServer(tls: certificates, requireClientCertificates: true));

/// <summary>
/// One nats-server (JetStream) requiring TLS and client certificates from a CA made for the test
/// (use with <c>ICollectionFixture</c> or <c>IClassFixture</c>).
/// </summary>
public sealed class NatsTlsFixture() : TlsServerFixture<NatsServer>(certificates => new NatsServer(certificates));

/// <summary>A server started with certificates made for the test, and the settings of a Prism process that talks to it.</summary>
public abstract class TlsServerFixture<TServer> : IAsyncLifetime
    where TServer : ServerProcess
{
    protected TlsServerFixture(Func<TestCertificates, TServer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Server = create(Certificates);
    }

    /// <summary>The CA, server and client certificates.</summary>
    public TestCertificates Certificates { get; } = new();

    /// <summary>The server.</summary>
    public TServer Server { get; }

    /// <summary>Settings for a Prism process that trusts the CA and presents the client certificate.</summary>
    public Dictionary<string, string?> ClientSettings() => new()
    {
        ["tls:ca_file"] = Certificates.CaFile,
        ["tls:client_cert_file"] = Certificates.ClientCertificateFile,
        ["tls:client_key_file"] = Certificates.ClientKeyFile,
    };

    /// <inheritdoc />
    public Task InitializeAsync() => Server.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Certificates.Dispose();
    }
}

/// <summary>One 3-master Redis Cluster (no replicas) shared by a test collection (use with <c>ICollectionFixture</c>).</summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    /// <summary>The cluster.</summary>
    public RedisCluster Cluster { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Cluster.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// A 3-master Redis Cluster with one replica per master in production posture (no passwordless <c>default</c> user on
/// any node), shared by a test collection (use with <c>ICollectionFixture</c>).
/// </summary>
public sealed class RedisClusterAclFixture : IAsyncLifetime
{
    /// <summary>The cluster.</summary>
    public RedisCluster Cluster { get; } = new(replicas: true);

    /// <summary>Configuration string of the administrator user (every node, user and password).</summary>
    public string AdminConfiguration { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Cluster.StartAsync();
        AdminConfiguration = await Cluster.RequireAuthenticationAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
