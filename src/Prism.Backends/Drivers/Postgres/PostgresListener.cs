using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// One connection LISTENing on the pub/sub channel. Notified message ids are handed, in commit
/// order and in batches, to <c>deliver</c>. When the connection fails the listener stops and
/// reports it through <see cref="Completion"/>; the driver then starts a new one on demand.
/// </summary>
internal sealed class PostgresListener : IAsyncDisposable
{
    private readonly Channel<long> _ids = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly NpgsqlConnection _connection;

    private PostgresListener(NpgsqlConnection connection, Func<IReadOnlyList<long>, CancellationToken, Task> deliver)
    {
        _connection = connection;
        _connection.Notification += (_, e) => _ids.Writer.TryWrite(long.Parse(e.Payload, CultureInfo.InvariantCulture));
        var listening = ListenAsync();
        var delivering = DeliverAsync(deliver);
        Completion = WatchAsync(listening, delivering);
    }

    /// <summary>Faults when the connection is lost; completes when disposed.</summary>
    public Task Completion { get; }

    /// <summary>Opens a connection and LISTENs; when this completes, every later NOTIFY is seen.</summary>
    public static async Task<PostgresListener> StartAsync(NpgsqlDataSource dataSource, string channel,
        Func<IReadOnlyList<long>, CancellationToken, Task> deliver, CancellationToken cancellation)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellation);
        try
        {
            await using var listen = new NpgsqlCommand(PostgresPubSubSql.Listen(channel), connection);
            await listen.ExecuteNonQueryAsync(cancellation);
            return new PostgresListener(connection, deliver);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Completion;
        }
        catch (Exception)
        {
            // Stopping: a failure while shutting down has nobody to report to.
        }

        await _connection.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task WatchAsync(Task listening, Task delivering)
    {
        var first = await Task.WhenAny(listening, delivering);
        if (first.IsFaulted)
        {
            await _stopping.CancelAsync();
            await first;
        }

        await Task.WhenAll(listening, delivering);
    }

    private async Task ListenAsync()
    {
        await Task.Yield();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                await _connection.WaitAsync(_stopping.Token);
            }

            _ids.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            _ids.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _ids.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task DeliverAsync(Func<IReadOnlyList<long>, CancellationToken, Task> deliver)
    {
        var batch = new List<long>();
        while (await _ids.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 256 && _ids.Reader.TryRead(out var id))
            {
                batch.Add(id);
            }

            await deliver(batch, _stopping.Token);
        }
    }
}
