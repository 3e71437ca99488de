using System.Buffers;
using System.Globalization;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;

namespace Prism.Backends.Drivers.Nats;

/// <summary>
/// A group member on a JetStream durable pull consumer: each poll fetches without waiting at most as many
/// messages as it has free slots. A message delivered more often than allowed (its last delivery timed
/// out or was lost) is dead-lettered and terminated instead of handed out. A fetch cut off after some
/// deliveries returns those. Acks and terminations wait for the server's confirmation.
/// </summary>
internal sealed class NatsQueueConsumer(NatsQueue driver, INatsJSConsumer consumer, string @namespace, string queue, string group, string consumerId,
    ConsumeOptions options, Action<IQueueConsumer> onClosed)
    : QueueConsumer<INatsJSMsg<byte[]>>(queue, group, consumerId, options, driver.Time, driver.PollInterval, driver.OutageWindow, onClosed)
{
    private static readonly ReadOnlySequence<byte> Ack = new("+ACK"u8.ToArray());
    private static readonly ReadOnlySequence<byte> Terminate = new("+TERM"u8.ToArray());
    private static readonly TimeSpan FetchExpiry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest a fetch may take. One started just as the connection drops waits for a reconnection that may never
    /// come (NATS.Net holds its pull request until then); past this it returns what it has, or is unavailable.
    /// </summary>
    private static readonly TimeSpan FetchTimeout = FetchExpiry * 2;

    protected override Task<IReadOnlyList<(QueueMessage Message, INatsJSMsg<byte[]> Delivery)>> FetchAsync(int max, CancellationToken cancellation) =>
        driver.RunAsync<IReadOnlyList<(QueueMessage, INatsJSMsg<byte[]>)>>(async () =>
        {
            var fetched = new List<(QueueMessage, INatsJSMsg<byte[]>)>();
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            bound.CancelAfter(FetchTimeout);
            try
            {
                // Expires bounds a fetch whose no-wait answer is lost (the default is 30 s), which a member leaving waits for.
                await foreach (var delivery in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = max, Expires = FetchExpiry },
                                   cancellationToken: bound.Token))
                {
                    var message = Message(delivery);
                    if (message.Attempt > Options.MaxDeliveries)
                    {
                        await driver.DeadLetterAsync(@namespace, Group, message, message.Attempt - 1, Backends.Queue.DeadLetter.VisibilityTimeoutError, bound.Token);
                        await ConfirmedAsync(delivery, Terminate, bound.Token);
                        continue;
                    }

                    fetched.Add((message, delivery));
                }
            }
            catch (Exception e) when (fetched.Count > 0 && NatsAvailability.IsUnavailable(e, cancellation))
            {
                // Timed out or cut off after some deliveries: hand those out rather than leave them unseen until the
                // visibility timeout. The next fetch meets the failure again if it lasts.
            }

            return fetched;
        }, cancellation);

    protected override Task AckCoreAsync(QueueMessage message, INatsJSMsg<byte[]> delivery, CancellationToken cancellation) =>
        driver.RunAsync(async () =>
        {
            await ConfirmedAsync(delivery, Ack, cancellation);
            return true;
        }, cancellation);

    protected override Task RetryCoreAsync(QueueMessage message, INatsJSMsg<byte[]> delivery, TimeSpan delay, string error, CancellationToken cancellation) =>
        driver.RunAsync(async () =>
        {
            await Bounded(delivery.NakAsync(new AckOpts { NakDelay = delay }, cancellation).AsTask(), cancellation);
            return true;
        }, cancellation);

    protected override Task DeadLetterCoreAsync(QueueMessage message, INatsJSMsg<byte[]> delivery, string error, CancellationToken cancellation) =>
        driver.RunAsync(async () =>
        {
            await driver.DeadLetterAsync(@namespace, Group, message, message.Attempt, error, cancellation);
            await ConfirmedAsync(delivery, Terminate, cancellation);
            return true;
        }, cancellation);

    /// <summary>
    /// An ack or termination sent as a request, answered once the server has applied it (JetStream's double ack).
    /// Not NATS.Net's <c>DoubleAck</c>: it reads the answer with a serializer that cannot, throwing and catching an
    /// exception per ack (2.6 % of the CPU samples of the queue bench's proxied JetStream row).
    /// </summary>
    private Task ConfirmedAsync(INatsJSMsg<byte[]> delivery, ReadOnlySequence<byte> settle, CancellationToken cancellation) =>
        Bounded(driver.Connection.RequestAsync<ReadOnlySequence<byte>, byte[]>(
            delivery.ReplyTo ?? throw new NatsJSException("the delivery has no reply subject to settle it on"), settle,
            requestSerializer: NatsRawSerializer<ReadOnlySequence<byte>>.Default, replySerializer: NatsRawSerializer<byte[]>.Default,
            cancellationToken: cancellation).AsTask(), cancellation);

    /// <summary>
    /// A confirmed settle is a request whose answer NATS.Net waits for up to its request timeout (5 s); this bound
    /// makes sure no settle outlives twice that whatever state the connection is in, since a member's reader
    /// waiting on one holds its client's slots.
    /// </summary>
    private static Task Bounded(Task settle, CancellationToken cancellation) =>
        settle.WaitAsync(NatsAvailability.AckTimeout * 2, cancellation);

    protected override Exception Translate(Exception error) => error;

    private QueueMessage Message(INatsJSMsg<byte[]> delivery)
    {
        var sequence = delivery.Metadata?.Sequence.Stream ?? 0;
        var read = NatsMessageHeaders.Read(Queue, delivery.Data, delivery.Headers,
            delivery.Metadata?.Timestamp.ToUnixTimeMilliseconds() ?? SubscribeOptions.NowMs(Time));
        return new QueueMessage(Queue, sequence.ToString(CultureInfo.InvariantCulture), read.Payload, read.Metadata, read.Context, read.Timestamp,
            (int)(delivery.Metadata?.NumDelivered ?? 1));
    }
}
