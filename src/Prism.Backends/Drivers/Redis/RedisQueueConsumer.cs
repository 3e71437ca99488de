using System.Globalization;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using StackExchange.Redis;
using static Prism.Backends.Drivers.Redis.RedisQueueEntries;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// A group member on Redis Streams. A poll first claims entries of the group idle past the visibility
/// timeout (XAUTOCLAIM, which counts a delivery), then reads new ones (XREADGROUP). XAUTOCLAIM walks the
/// group's pending entries (up to ten per entry asked for, from where the last one stopped), so a busy member
/// runs it at most every poll interval (or tenth of the visibility timeout, if shorter) unless the last one
/// found entries or this member nacked one. A nack re-claims the
/// entry with its idle time set so that it becomes claimable again after the delay (XCLAIM IDLE); a delay
/// longer than the visibility timeout is also written to the queue's delay hash, and an entry claimed
/// before it is due is put back uncounted. A nack or dead-lettering re-claims only an entry still idle
/// since this member received it, so it does nothing once another member has it. Acks made while an XACK
/// is under way are sent together in the next one.
/// </summary>
internal sealed class RedisQueueConsumer(RedisQueue driver, string @namespace, string queue, string group, string consumerId, ConsumeOptions options,
    Action<IQueueConsumer> onClosed)
    : QueueConsumer<RedisQueueConsumer.Delivery>(queue, group, consumerId, options, driver.Time, driver.PollInterval, driver.OutageWindow, onClosed)
{
    private readonly RedisKey _stream = Messages(@namespace, queue);
    private readonly RedisKey _delays = Delays(@namespace, queue, group);
    private RedisValue _cursor = StreamPosition.Beginning;
    // When the last XAUTOCLAIM found nothing; 0: claim at the next fetch.
    private long _claimedNothingAt;

    /// <summary>Acks made while one XACK is under way go together in the next.</summary>
    private readonly CoalescedCommand<(RedisValue EntryId, bool MayBeDelayed)> _acks = new(
        entries => AckAllAsync(driver, Messages(@namespace, queue), Delays(@namespace, queue, group), group, entries), MaxAcksPerCommand);

    private const int MaxAcksPerCommand = 512;

    private long VisibilityMs => (long)Options.VisibilityTimeout.TotalMilliseconds;

    private TimeSpan ClaimInterval => Options.VisibilityTimeout / 10 < driver.PollInterval ? Options.VisibilityTimeout / 10 : driver.PollInterval;

    protected override Task<IReadOnlyList<(QueueMessage Message, Delivery Delivery)>> FetchAsync(int max, CancellationToken cancellation) =>
        driver.RunAsync<IReadOnlyList<(QueueMessage, Delivery)>>(async db =>
        {
            var fetched = new List<(QueueMessage, Delivery)>();
            var claimedNothingAt = Volatile.Read(ref _claimedNothingAt);
            if (claimedNothingAt == 0 || Time.GetElapsedTime(claimedNothingAt) >= ClaimInterval)
            {
                var found = await ClaimDueAsync(db, max, fetched);
                Volatile.Write(ref _claimedNothingAt, found ? 0 : Time.GetTimestamp());
            }

            if (fetched.Count < max)
            {
                var fresh = await db.StreamReadGroupAsync(_stream, Group, ConsumerId, StreamPosition.NewMessages, max - fetched.Count);
                fetched.AddRange(fresh.Where(e => !e.IsNull).Select(e => Deliver(e, 1)));
            }

            return fetched;
        }, cancellation);

    // A first delivery was never rejected in this group, so it has no delay to forget.
    protected override Task AckCoreAsync(QueueMessage message, Delivery delivery, CancellationToken cancellation) =>
        _acks.RunAsync((delivery.EntryId, message.Attempt > 1), cancellation);

    private static Task<long> AckAllAsync(RedisQueue driver, RedisKey stream, RedisKey delays, string group,
        IReadOnlyList<(RedisValue EntryId, bool MayBeDelayed)> entries) =>
        driver.RunAsync(async db =>
        {
            RedisValue[] ids = [.. entries.Select(e => e.EntryId)];
            RedisValue[] delayed = [.. entries.Where(e => e.MayBeDelayed).Select(e => e.EntryId)];
            if (delayed.Length == 0)
            {
                return await db.StreamAcknowledgeAsync(stream, group, ids);
            }

            var ack = db.CreateTransaction();
            var acked = ack.StreamAcknowledgeAsync(stream, group, ids);
            _ = ack.HashDeleteAsync(delays, delayed);
            await ack.ExecuteAsync();
            return await acked;
        }, CancellationToken.None);

    protected override Task RetryCoreAsync(QueueMessage message, Delivery delivery, TimeSpan delay, string error, CancellationToken cancellation) =>
        driver.RunAsync(async db =>
        {
            if (delay > Options.VisibilityTimeout)
            {
                await db.HashSetAsync(_delays, delivery.EntryId, SubscribeOptions.NowMs(Time) + (long)delay.TotalMilliseconds);
            }

            var idle = Math.Max(0, VisibilityMs - (long)delay.TotalMilliseconds);
            var reclaimed = await ReclaimAsync(db, delivery, idle);
            // Due at once or soon: the next poll looks for it.
            Volatile.Write(ref _claimedNothingAt, 0);
            return reclaimed;
        }, cancellation);

    protected override Task DeadLetterCoreAsync(QueueMessage message, Delivery delivery, string error, CancellationToken cancellation) =>
        driver.RunAsync(async db =>
        {
            if (await ReclaimAsync(db, delivery, 0))
            {
                await MoveToDeadLettersAsync(db, delivery.EntryId, delivery.Fields, message.Attempt, error);
            }

            return true;
        }, cancellation);

    protected override Exception Translate(Exception error) => error;

    /// <summary>
    /// Claims entries idle past the visibility timeout, dead-letters the exhausted and puts back those whose nack
    /// delay is not over. True when it found some.
    /// </summary>
    private async Task<bool> ClaimDueAsync(IDatabase db, int max, List<(QueueMessage, Delivery)> fetched)
    {
        var claim = await db.StreamAutoClaimAsync(_stream, Group, ConsumerId, VisibilityMs, _cursor, max);
        _cursor = claim.NextStartId;
        var claimed = claim.ClaimedEntries.Where(e => !e.IsNull).ToList();
        if (claimed.Count == 0)
        {
            return false;
        }

        var counts = await Task.WhenAll(claimed.Select(e => db.StreamPendingMessagesAsync(_stream, Group, 1, ConsumerId, e.Id, e.Id)));
        var dueAt = await db.HashGetAsync(_delays, [.. claimed.Select(e => e.Id)]);
        var now = SubscribeOptions.NowMs(Time);
        for (var i = 0; i < claimed.Count; i++)
        {
            var entry = claimed[i];
            var attempt = counts[i].Length == 1 ? counts[i][0].DeliveryCount : 1;
            if (attempt > Options.MaxDeliveries)
            {
                await MoveToDeadLettersAsync(db, entry.Id, Read(entry), attempt - 1, Backends.Queue.DeadLetter.VisibilityTimeoutError);
            }
            else if (dueAt[i].TryParse(out long due) && due > now)
            {
                var idle = Math.Max(0, VisibilityMs - (due - now));
                await db.ExecuteAsync("XCLAIM", _stream, Group, ConsumerId, 0, entry.Id, "IDLE", idle, "RETRYCOUNT", attempt - 1, "JUSTID");
            }
            else
            {
                fetched.Add(Deliver(entry, attempt));
            }
        }

        return true;
    }

    /// <summary>
    /// Takes the entry back for this member with idle time <paramref name="idleMs"/>, without counting a
    /// delivery, if nobody received it since this member did; true when it did.
    /// </summary>
    private async Task<bool> ReclaimAsync(IDatabase db, Delivery delivery, long idleMs)
    {
        var heldFor = (long)Time.GetElapsedTime(delivery.ReceivedAt).TotalMilliseconds;
        var claimed = (RedisResult[])(await db.ExecuteAsync("XCLAIM", _stream, Group, ConsumerId, heldFor, delivery.EntryId, "IDLE", idleMs, "JUSTID"))!;
        return claimed.Length == 1;
    }

    private async Task MoveToDeadLettersAsync(IDatabase db, RedisValue entryId, Dictionary<string, RedisValue> fields, int attempts, string error)
    {
        var move = db.CreateTransaction();
        _ = move.StreamAddAsync(DeadLetters(@namespace, Queue), DeadLetterFields(fields, Group, attempts, error, SubscribeOptions.NowMs(Time)));
        _ = move.StreamAcknowledgeAsync(_stream, Group, entryId);
        _ = move.HashDeleteAsync(_delays, entryId);
        await move.ExecuteAsync();
    }

    private (QueueMessage, Delivery) Deliver(StreamEntry entry, int attempt)
    {
        var fields = Read(entry);
        return (Message(Queue, fields, entry.Id!, attempt), new Delivery(entry.Id, fields, Time.GetTimestamp()));
    }

    /// <summary>The stream entry a member received, its fields (copied into a dead letter) and when it arrived.</summary>
    internal sealed record Delivery(RedisValue EntryId, Dictionary<string, RedisValue> Fields, long ReceivedAt)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{EntryId}");
    }
}
