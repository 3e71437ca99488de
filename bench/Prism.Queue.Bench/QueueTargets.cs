using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using Prism.Client;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Prism.Interfaces.Queue;
using StackExchange.Redis;

namespace Prism.Queue.Bench;

/// <summary>Where the benchmark publishes, and a consumer that acknowledges what it receives and reports each payload.</summary>
public interface IQueueTarget : IAsyncDisposable
{
    Task PublishAsync(byte[] payload);

    /// <summary>Starts one consumer that acks every message and hands its payload to <paramref name="received"/>.</summary>
    Task StartConsumerAsync(Action<ReadOnlyMemory<byte>> received, CancellationToken stop);
}

/// <summary>JetStream with NATS.Net: publish waits for the stream's ack; a durable pull consumer acks explicitly.</summary>
public sealed class DirectJetStream(NatsConnection nats, string stream) : IQueueTarget
{
    private readonly NatsJSContext _js = new(nats);

    public static async Task<DirectJetStream> CreateAsync(string url, string stream)
    {
        var nats = new NatsConnection(new NatsOpts { Url = url });
        await nats.ConnectAsync();
        await new NatsJSContext(nats).CreateStreamAsync(new StreamConfig(stream, [stream + ".>"]) { Retention = StreamConfigRetention.Workqueue });
        return new DirectJetStream(nats, stream);
    }

    public async Task PublishAsync(byte[] payload) => (await _js.PublishAsync(stream + ".jobs", payload)).EnsureSuccess();

    public async Task StartConsumerAsync(Action<ReadOnlyMemory<byte>> received, CancellationToken stop)
    {
        var consumer = await _js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("workers") { AckPolicy = ConsumerConfigAckPolicy.Explicit, MaxAckPending = 1000 }, stop);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stop))
                {
                    received(message.Data);
                    await message.AckAsync(cancellationToken: stop);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, stop);
    }

    public ValueTask DisposeAsync() => nats.DisposeAsync();
}

/// <summary>Redis Streams with StackExchange.Redis: XADD; a group member reads with XREADGROUP and XACKs.</summary>
public sealed class DirectRedisStreams(IDatabase db, string key) : IQueueTarget
{
    public Task PublishAsync(byte[] payload) => db.StreamAddAsync(key, "p", payload);

    public async Task StartConsumerAsync(Action<ReadOnlyMemory<byte>> received, CancellationToken stop)
    {
        await db.StreamCreateConsumerGroupAsync(key, "workers", "0-0", createStream: true);
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var entries = await db.StreamReadGroupAsync(key, "workers", "w1", ">", count: 256);
                if (entries.Length == 0)
                {
                    await Task.Delay(1, CancellationToken.None);
                    continue;
                }

                foreach (var entry in entries)
                {
                    received((byte[])entry["p"]!);
                }

                await db.StreamAcknowledgeAsync(key, "workers", [.. entries.Select(e => e.Id)]);
            }
        }, stop);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Prism's queue driver called in process, without the proxy hop: what the engine and its client cost for
/// Prism's messages (context, an idempotency key per message as Prism.Client sends, the driver's own work).
/// </summary>
public sealed class InProcessDriverQueue(IQueue driver, string @namespace, string queue) : IQueueTarget
{
    private readonly MessageContext _context = new("bench@example.com", "bench", Guid.NewGuid().ToString("N"), @namespace,
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);

    public Task PublishAsync(byte[] payload) =>
        driver.EnqueueAsync(@namespace, queue, payload, null, _context, Guid.NewGuid().ToString("N"), CancellationToken.None);

    public async Task StartConsumerAsync(Action<ReadOnlyMemory<byte>> received, CancellationToken stop)
    {
        var member = await driver.ConsumeAsync(@namespace, queue, "workers", "w1", new ConsumeOptions { MaxInFlight = 1000 }, stop);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in member.ReadAllAsync(stop))
                {
                    received(message.Payload);
                    // Not awaited, as the proxy consumers send acks without waiting for them to settle.
                    _ = member.AckAsync(message.MessageId, stop).ContinueWith(ack => ack.Exception, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                await member.DisposeAsync();
            }
        }, stop);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Through the proxy: unary Publish; one Consume stream that acks each message on the same stream.</summary>
public sealed class ThroughProxyQueue(GrpcChannel channel, string token, string @namespace, string queue) : IQueueTarget
{
    private readonly QueueBasicInterface.QueueBasicInterfaceClient _client = new(channel);
    private readonly Metadata _headers = new() { { "authorization", "Bearer " + token }, { "x-prism-namespace", @namespace } };

    public async Task PublishAsync(byte[] payload) =>
        await _client.PublishAsync(new QueuePublishRequest { Queue = queue, Payload = UnsafeByteOperations.UnsafeWrap(payload) }, _headers);

    public async Task StartConsumerAsync(Action<ReadOnlyMemory<byte>> received, CancellationToken stop)
    {
        var call = _client.Consume(_headers, cancellationToken: stop);
        await call.RequestStream.WriteAsync(new ConsumeRequest { Join = new Join { Queue = queue, Group = "workers", ConsumerId = "w1", MaxInFlight = 1000 } }, stop);
        var acks = Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var id in acks.Reader.ReadAllAsync(stop))
                {
                    await call.RequestStream.WriteAsync(new ConsumeRequest { Ack = new Ack { MessageId = id } });
                }
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException)
            {
            }
        }, stop);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var response in call.ResponseStream.ReadAllAsync(stop))
                {
                    if (response.EventCase == ConsumeResponse.EventOneofCase.Message)
                    {
                        received(response.Message.Payload.Memory);
                        acks.Writer.TryWrite(response.Message.MessageId);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException)
            {
            }
        }, stop);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// Through the proxy with Prism.Client: its PublishAsync (an idempotency key per message, concurrent publishes
/// sharing calls) and its QueueConsumer (joined batched: messages and settlements grouped on the stream).
/// </summary>
public sealed class ThroughPrismClientQueue(Uri endpoint, string token, string @namespace, string queue, int? publishCalls)
    : IQueueTarget
{
    private readonly PrismConnection _connection = new(new PrismClientOptions
    {
        Endpoint = endpoint,
        Namespace = @namespace,
        Token = token,
        PublishCallsInFlight = publishCalls ?? new PrismClientOptions().PublishCallsInFlight,
    });
    private PrismQueueClient? _queue;

    private PrismQueueClient Queue => _queue ??= new PrismQueueClient(_connection);

    public async Task PublishAsync(byte[] payload) => await Queue.PublishAsync(queue, payload);

    public async Task StartConsumerAsync(Action<ReadOnlyMemory<byte>> received, CancellationToken stop)
    {
        var member = await Queue.ConsumeAsync(queue, "workers", new QueueConsumerOptions { ConsumerId = "w1", MaxInFlight = 1000 }, stop);
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in member.ReadAllAsync(stop))
                {
                    received(message.Payload.Memory);
                    // Not awaited, as the other consumers send acks without waiting for them to settle.
                    _ = member.AckAsync(message.MessageId, CancellationToken.None).ContinueWith(ack => ack.Exception, TaskScheduler.Default);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or PrismClientException)
            {
            }
            finally
            {
                await member.DisposeAsync();
            }
        }, stop);
    }

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
