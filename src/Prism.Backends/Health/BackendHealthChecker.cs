using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Prism.Backends.Health;

/// <summary>Health of one backend.</summary>
public enum BackendHealth
{
    /// <summary>Answered in under 100 ms.</summary>
    Healthy = 1,

    /// <summary>Answered in 100 ms or more.</summary>
    Degraded = 2,

    /// <summary>Error or no answer within the timeout.</summary>
    Unhealthy = 3,
}

/// <summary>Result of checking one backend.</summary>
public sealed record BackendCheck(BackendDefinition Backend, BackendHealth Health, TimeSpan Latency, string? Error, DateTimeOffset CheckedAt);

/// <summary>Checks backends in parallel with a trivial round trip each (PING, SELECT 1).</summary>
public sealed class BackendHealthChecker(BackendConnections connections, TimeProvider time)
{
    /// <summary>Latency below which a backend is healthy.</summary>
    public static readonly TimeSpan HealthyBelow = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks every named backend at once (all when <paramref name="names"/> is empty).</summary>
    public async Task<IReadOnlyList<BackendCheck>> CheckAsync(IReadOnlyCollection<string> names, CancellationToken cancellation)
    {
        var backends = names.Count == 0
            ? connections.Catalog.All
            : names.Select(n => connections.Catalog.Find(n) ?? throw new ArgumentException($"unknown backend '{n}'", nameof(names))).ToList();
        return await Task.WhenAll(backends.Select(b => CheckOneAsync(b, cancellation)));
    }

    private async Task<BackendCheck> CheckOneAsync(BackendDefinition backend, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(connections.Catalog.HealthTimeout);
        var clock = Stopwatch.StartNew();
        try
        {
            await RoundTripAsync(backend, timeout.Token).WaitAsync(timeout.Token);
            var latency = clock.Elapsed;
            return new BackendCheck(backend, latency < HealthyBelow ? BackendHealth.Healthy : BackendHealth.Degraded, latency, null, time.GetUtcNow());
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            var error = e is OperationCanceledException or TimeoutException
                ? $"no answer within {connections.Catalog.HealthTimeout.TotalMilliseconds:0} ms"
                : e.Message;
            return new BackendCheck(backend, BackendHealth.Unhealthy, clock.Elapsed, error, time.GetUtcNow());
        }
    }

    private async Task RoundTripAsync(BackendDefinition backend, CancellationToken cancellation)
    {
        switch (backend.Type)
        {
            case "memstore":
                return;
            case "sqlite":
                await using (var connection = new SqliteConnection(connections.SqliteConnectionString))
                {
                    await connection.OpenAsync(cancellation);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT 1";
                    await command.ExecuteScalarAsync(cancellation);
                }

                return;
            case "redis":
                var redis = await connections.RedisAsync();
                if (!redis.IsConnected)
                {
                    throw new InvalidOperationException($"not connected to {backend.Endpoint}");
                }

                await redis.GetDatabase().PingAsync();
                return;
            case "postgres":
                await using (var command = connections.Postgres.CreateCommand("SELECT 1"))
                {
                    await command.ExecuteScalarAsync(cancellation);
                }

                return;
            case "nats":
                await connections.Nats.PingAsync(cancellation);
                return;
            default:
                throw new NotSupportedException($"no health check for backend type '{backend.Type}'");
        }
    }
}
