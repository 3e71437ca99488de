using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;
using Prism.Backends.LocalServers;

namespace Prism.Testing.Servers;

/// <summary>
/// A throwaway 3-node NATS cluster with JetStream on loopback: each node has its own client, route and monitoring
/// port and store folder, routes to the others and the same cluster name. Started when JetStream has elected a
/// meta leader with every node a peer, so streams with 3 replicas can be created. A node can be killed (-9, by
/// its PID) and started again on the same ports and store.
/// </summary>
public sealed class NatsCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Prepares three nodes; call <see cref="StartAsync"/> to run them.</summary>
    public NatsCluster(int size = 3)
    {
        var name = "prism-" + Guid.NewGuid().ToString("N")[..8];
        var nodes = new List<NatsClusterNode>();
        nodes.AddRange(Enumerable.Range(1, size).Select(i => new NatsClusterNode(name, $"n{i}", () => nodes.Select(n => n.RoutePort))));
        Nodes = nodes;
    }

    /// <summary>The nodes, in start order.</summary>
    public IReadOnlyList<NatsClusterNode> Nodes { get; }

    /// <summary>Every node's client URL, comma-separated: what a client lists as its servers.</summary>
    public string Url => string.Join(',', Nodes.Select(n => n.Url));

    /// <summary>The node called <paramref name="serverName"/> (n1, n2, …).</summary>
    public NatsClusterNode Node(string serverName) => Nodes.Single(n => n.ServerName == serverName);

    /// <summary>Starts every node, then waits until JetStream has a meta leader that every node knows.</summary>
    public async Task StartAsync()
    {
        await Task.WhenAll(Nodes.Select(n => n.StartAsync()));
        await WaitForMetaLeaderAsync();
    }

    /// <summary>Waits until every running node reports the same JetStream meta leader and the full cluster size.</summary>
    public async Task WaitForMetaLeaderAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var timeout = new CancellationTokenSource(FormTimeout);
        while (true)
        {
            var leaders = new List<string?>();
            foreach (var node in Nodes.Where(n => n.IsRunning))
            {
                leaders.Add(await node.MetaLeaderAsync(http, Nodes.Count, timeout.Token));
            }

            if (leaders.Count > 0 && leaders.All(l => l is not null && l == leaders[0]))
            {
                return;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"the NATS cluster elected no JetStream meta leader within {FormTimeout}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>The running node a client named <paramref name="clientName"/> is connected to (from each node's /connz), or null.</summary>
    public async Task<NatsClusterNode?> NodeWithClientAsync(string clientName)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var node in Nodes.Where(n => n.IsRunning))
        {
            if (await node.HasClientAsync(http, clientName))
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>Stops every node and deletes their stores.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}

/// <summary>One node of a <see cref="NatsCluster"/>.</summary>
public sealed class NatsClusterNode : ServerProcess
{
    private readonly string _clusterName;
    private readonly Func<IEnumerable<int>> _routePorts;

    internal NatsClusterNode(string clusterName, string serverName, Func<IEnumerable<int>> routePorts)
        : base("nats-" + serverName)
    {
        _clusterName = clusterName;
        _routePorts = routePorts;
        ServerName = serverName;
    }

    /// <summary>The node's server name (n1, n2, …), as JetStream reports leaders and peers.</summary>
    public string ServerName { get; }

    /// <summary>Port of the cluster routes.</summary>
    public int RoutePort { get; } = FreePort.Next();

    /// <summary>Port of the HTTP monitoring endpoints (/jsz, /healthz).</summary>
    public int MonitorPort { get; } = FreePort.Next();

    /// <summary>Client URL of this node.</summary>
    public string Url => $"nats://127.0.0.1:{Text(Port)}";

    /// <summary>The meta leader this node knows with <paramref name="size"/> peers, or null while there is none.</summary>
    internal async Task<string?> MetaLeaderAsync(HttpClient http, int size, CancellationToken cancellation)
    {
        try
        {
            var jsz = await http.GetFromJsonAsync<Jsz>($"http://127.0.0.1:{Text(MonitorPort)}/jsz", cancellation);
            return jsz?.Meta is { Leader.Length: > 0, ClusterSize: var known } meta && known >= size ? meta.Leader : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>True when a client named <paramref name="clientName"/> is connected to this node.</summary>
    internal async Task<bool> HasClientAsync(HttpClient http, string clientName)
    {
        var connz = await http.GetFromJsonAsync<Connz>($"http://127.0.0.1:{Text(MonitorPort)}/connz");
        return connz?.Connections?.Any(c => c.Name == clientName) == true;
    }

    /// <inheritdoc />
    protected override string Program() => ServerBinary.Find("nats-server", "nats-server");

    /// <inheritdoc />
    protected override IEnumerable<string> Arguments() =>
    [
        "-a", "127.0.0.1", "-p", Text(Port), "-n", ServerName, "-js", "-sd", Data.Path, "-m", Text(MonitorPort),
        "--cluster_name", _clusterName, "--cluster", $"nats://127.0.0.1:{Text(RoutePort)}",
        "--routes", string.Join(',', _routePorts().Where(p => p != RoutePort).Select(p => $"nats://127.0.0.1:{Text(p)}")),
    ];

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellation)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cancellation);
        var buffer = new byte[512];
        var read = await client.GetStream().ReadAsync(buffer, cancellation);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("INFO ", StringComparison.Ordinal);
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private sealed record Connz([property: JsonPropertyName("connections")] IReadOnlyList<Connection>? Connections);

    private sealed record Connection([property: JsonPropertyName("name")] string? Name);

    private sealed record Jsz([property: JsonPropertyName("meta_cluster")] MetaCluster? Meta);

    private sealed record MetaCluster(
        [property: JsonPropertyName("leader")] string? Leader,
        [property: JsonPropertyName("cluster_size")] int ClusterSize);
}

/// <summary>One 3-node NATS cluster shared by a test collection (use with <c>ICollectionFixture</c>).</summary>
public sealed class NatsClusterFixture : IAsyncLifetime
{
    /// <summary>The cluster.</summary>
    public NatsCluster Cluster { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Cluster.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
