using Prism.Backends.PubSub;
using Prism.Backends.Queue;

namespace Prism.Backends.Drivers.Memstore;

// The members of memstore queue groups: each fetches from, acks and retries in its queue's log under the log's lock.
public sealed partial class MemoryQueue
{
    private sealed class MemoryConsumer(MemoryQueue owner, QueueLog log, Group group, string queue, string groupName, string consumerId, ConsumeOptions options)
        : QueueConsumer<long>(queue, groupName, consumerId, options, owner.Time, owner.PollInterval, owner.OutageWindow, owner._consumers.Remove)
    {
        protected override Task<IReadOnlyList<(QueueMessage Message, long Delivery)>> FetchAsync(int max, CancellationToken cancellation)
        {
            var now = Time.GetUtcNow();
            var fetched = new List<(QueueMessage, long)>();
            lock (log.Gate)
            {
                // Deliveries due again (timed out or nacked); none before NextVisible, so most fetches skip the scan.
                if (group.NextVisible <= now)
                {
                    var next = DateTimeOffset.MaxValue;
                    foreach (var (sequence, pending) in group.Pending.ToList())
                    {
                        if (pending.VisibleAt > now)
                        {
                            next = pending.VisibleAt < next ? pending.VisibleAt : next;
                            continue;
                        }

                        if (fetched.Count == max)
                        {
                            next = now;
                            break;
                        }

                        if (pending.Attempts >= Options.MaxDeliveries)
                        {
                            group.Pending.Remove(sequence);
                            log.AddDead(Group, pending.Message, pending.Attempts, DeadLetter.VisibilityTimeoutError, now.ToUnixTimeMilliseconds());
                            continue;
                        }

                        fetched.Add((Deliver(pending, now), sequence));
                        next = pending.VisibleAt < next ? pending.VisibleAt : next;
                    }

                    group.NextVisible = next;
                }

                while (fetched.Count < max && group.Next < log.NextSequence)
                {
                    var sequence = group.Next++;
                    if (log.Messages.TryGetValue(sequence, out var message))
                    {
                        var pending = new Pending(message);
                        group.Pending[sequence] = pending;
                        fetched.Add((Deliver(pending, now), sequence));
                    }
                }
            }

            return Task.FromResult<IReadOnlyList<(QueueMessage, long)>>(fetched);
        }

        protected override Task AckCoreAsync(QueueMessage message, long delivery, CancellationToken cancellation)
        {
            lock (log.Gate)
            {
                group.Pending.Remove(delivery);
            }

            return Task.CompletedTask;
        }

        protected override Task RetryCoreAsync(QueueMessage message, long delivery, TimeSpan delay, string error, CancellationToken cancellation)
        {
            lock (log.Gate)
            {
                if (Holds(delivery, message) is { } pending)
                {
                    group.Hide(pending, Time.GetUtcNow() + delay);
                }
            }

            return Task.CompletedTask;
        }

        protected override Task DeadLetterCoreAsync(QueueMessage message, long delivery, string error, CancellationToken cancellation)
        {
            lock (log.Gate)
            {
                if (Holds(delivery, message) is { } pending)
                {
                    group.Pending.Remove(delivery);
                    log.AddDead(Group, pending.Message, pending.Attempts, error, SubscribeOptions.NowMs(Time));
                }
            }

            return Task.CompletedTask;
        }

        protected override Exception Translate(Exception error) => error;

        /// <summary>The pending delivery when this member's delivery of it is still the current one.</summary>
        private Pending? Holds(long sequence, QueueMessage message) =>
            group.Pending.TryGetValue(sequence, out var pending) && pending.Consumer == ConsumerId && pending.Attempts == message.Attempt ? pending : null;

        private QueueMessage Deliver(Pending pending, DateTimeOffset now)
        {
            pending.Attempts++;
            pending.Consumer = ConsumerId;
            group.Hide(pending, now + Options.VisibilityTimeout);
            var m = pending.Message;
            return new QueueMessage(Queue, m.Id, m.Payload, m.Metadata, m.Context, m.EnqueuedAt, pending.Attempts);
        }
    }

    private TimeProvider Time => time;

    private TimeSpan PollInterval => driverOptions.QueuePollInterval;

    private TimeSpan OutageWindow => driverOptions.QueueOutageWindow;
}
