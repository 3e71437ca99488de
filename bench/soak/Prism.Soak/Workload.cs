using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Admin.V1;
using Prism.Client;

namespace Prism.Soak;

/// <summary>
/// The load: KeyValue writers that read their writes back, queue producers and a consumer group,
/// a pub/sub publisher and subscriber, and an admin reader, all through HAProxy.
/// </summary>
internal sealed class Workload(PrismConnection connection, GrpcChannel admin, ITokenSource tokens, string @namespace, PhaseClock clock, Ledger ledger)
{
    public const string Queue = "jobs";
    public const string Group = "soak";
    public const string Topic = "events";

    private readonly PrismKeyValueClient _kv = new(connection, @namespace);
    private readonly PrismQueueClient _queue = new(connection, @namespace);
    private readonly PrismPubSubClient _pubsub = new(connection, @namespace);
    private readonly ConcurrentDictionary<int, (string State, long Since)> _members = new();

    /// <summary>What each consumer was last doing and since when: to tell a member stuck on an ack from one given nothing.</summary>
    public IEnumerable<string> DescribeMembers() => _members.OrderBy(m => m.Key)
        .Select(m => $"member-{m.Key}: {m.Value.State} for {Stopwatch.GetElapsedTime(m.Value.Since).TotalSeconds:0.0} s");

    private void Member(int member, string state) => _members[member] = (state, Stopwatch.GetTimestamp());

    /// <summary>Starts the load: <c>Writing</c> stops with <paramref name="load"/>, <c>Reading</c> (consumers, subscriber) with <paramref name="readers"/>.</summary>
    public (IReadOnlyList<Task> Writing, IReadOnlyList<Task> Reading) Start(int writers, int producers, int consumers, CancellationToken load, CancellationToken readers) =>
    (
        [
            .. Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(w, load))),
            .. Enumerable.Range(0, producers).Select(p => Task.Run(() => ProducerAsync(p, load))),
            Task.Run(() => PublisherAsync(load)),
            Task.Run(() => AdminReaderAsync(load)),
        ],
        [
            .. Enumerable.Range(0, consumers).Select(c => Task.Run(() => ConsumerAsync(c, readers))),
            Task.Run(() => SubscriberAsync(readers)),
        ]);

    private async Task WriterAsync(int writer, CancellationToken stop)
    {
        for (var i = 0L; !stop.IsCancellationRequested; i++)
        {
            var key = $"soak:{writer}:{i % 500}";
            var value = $"{writer}:{i}";
            ledger.Attempt(key, value);
            if (await clock.MeasureAsync(() => _kv.SetAsync(key, Encoding.UTF8.GetBytes(value), cancellation: stop)))
            {
                ledger.Acknowledged(key, value);
                await clock.MeasureAsync(async () =>
                {
                    var read = await _kv.GetAsync(key, stop);
                    if (read is null || Encoding.UTF8.GetString(read) != value)
                    {
                        throw new InvalidDataException($"read of {key} after an acknowledged write did not return it");
                    }
                });
            }
        }
    }

    private async Task ProducerAsync(int producer, CancellationToken stop)
    {
        for (var i = 0L; !stop.IsCancellationRequested; i++)
        {
            var id = $"{producer}:{i}";
            if (await clock.MeasureAsync(() => _queue.PublishAsync(Queue, Encoding.UTF8.GetBytes(id), idempotencyKey: "soak-" + id, cancellation: stop)))
            {
                ledger.QueueAcknowledged.TryAdd(id, 0);
            }
        }
    }

    /// <summary>A group member that joins again whenever its stream breaks (its proxy died).</summary>
    private async Task ConsumerAsync(int member, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Member(member, "joining");
                await using var consumer = await _queue.ConsumeAsync(Queue, Group, new QueueConsumerOptions { ConsumerId = $"member-{member}", MaxInFlight = 64 }, stop);
                Member(member, "waiting for a message");
                await foreach (var message in consumer.ReadAllAsync(stop))
                {
                    ledger.QueueReceived.TryAdd(message.Payload.ToStringUtf8(), 0);
                    Interlocked.Increment(ref ledger.QueueDeliveries);
                    Member(member, "waiting for an ack's answer");
                    await clock.MeasureAsync(() => consumer.AckAsync(message.MessageId, stop));
                    Member(member, "waiting for a message");
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested && e is RpcException or PrismClientException or IOException or InvalidOperationException)
            {
                Member(member, "rejoining after " + (e is RpcException rpc ? rpc.StatusCode.ToString() : e.GetType().Name));
                clock.Current.StreamBroke(e);
                await Task.Delay(200, CancellationToken.None);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // the end of the soak
            }
        }
    }

    private async Task PublisherAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await clock.MeasureAsync(() => _pubsub.PublishAsync(Topic, "x"u8.ToArray(), cancellation: stop)))
            {
                Interlocked.Increment(ref ledger.PubSubPublished);
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    private async Task SubscriberAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var subscription = await _pubsub.SubscribeAsync(Topic, cancellation: stop);
                await foreach (var _ in subscription.ReadAllAsync(stop))
                {
                    Interlocked.Increment(ref ledger.PubSubDelivered);
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested && e is RpcException or PrismClientException or IOException or InvalidOperationException)
            {
                clock.Current.StreamBroke(e);
                await Task.Delay(200, CancellationToken.None);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // the end of the soak
            }
        }
    }

    private async Task AdminReaderAsync(CancellationToken stop)
    {
        var client = new AdminService.AdminServiceClient(admin);
        while (!stop.IsCancellationRequested)
        {
            await clock.MeasureAsync(async () =>
            {
                var headers = new Metadata { { "authorization", "Bearer " + await tokens.GetTokenAsync(stop) } };
                await client.GetNamespaceAsync(new GetNamespaceRequest { Name = @namespace }, headers, DateTime.UtcNow.AddSeconds(10), stop);
            });
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
