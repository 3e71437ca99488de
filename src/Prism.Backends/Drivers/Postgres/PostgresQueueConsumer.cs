using Npgsql;
using Prism.Backends.PubSub;
using Prism.Backends.Queue;
using static Prism.Backends.Drivers.Postgres.PostgresQueueSql;

namespace Prism.Backends.Drivers.Postgres;

/// <summary>
/// A group member on PostgreSQL: each poll is one statement that dead-letters the group's timed-out last
/// deliveries and claims visible ones with <c>SKIP LOCKED</c>. A nack or dead-lettering applies only while
/// this member's delivery is still the current one; an ack always applies.
/// </summary>
internal sealed class PostgresQueueConsumer(PostgresQueue driver, string @namespace, string queue, string group, string consumerId, ConsumeOptions options,
    Action<IQueueConsumer> onClosed)
    : QueueConsumer<long>(queue, group, consumerId, options, driver.Time, driver.PollInterval, driver.OutageWindow, onClosed)
{
    protected override Task<IReadOnlyList<(QueueMessage Message, long Delivery)>> FetchAsync(int max, CancellationToken cancellation) =>
        driver.RunAsync<IReadOnlyList<(QueueMessage, long)>>(async () =>
        {
            await using var command = Command(Claim);
            command.Parameters.AddWithValue("max", max);
            command.Parameters.AddWithValue("max_deliveries", Options.MaxDeliveries);
            command.Parameters.AddWithValue("visibility", Options.VisibilityTimeout);
            command.Parameters.AddWithValue("consumer", ConsumerId);
            command.Parameters.AddWithValue("timeout_error", DeadLetter.VisibilityTimeoutError);
            command.Parameters.AddWithValue("now", SubscribeOptions.NowMs(Time));
            var fetched = new List<(QueueMessage, long)>();
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var id = reader.GetInt64(0);
                var (payload, metadata, enqueuedAt, context) = driver.ReadMessage(reader, 2);
                fetched.Add((new QueueMessage(Queue, PostgresQueue.Id(id), payload, metadata, context, enqueuedAt, reader.GetInt32(1)), id));
            }

            return fetched;
        });

    protected override Task AckCoreAsync(QueueMessage message, long delivery, CancellationToken cancellation) =>
        driver.RunAsync(async () =>
        {
            await using var command = Command(Ack);
            command.Parameters.AddWithValue("id", delivery);
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    protected override Task RetryCoreAsync(QueueMessage message, long delivery, TimeSpan delay, string error, CancellationToken cancellation) =>
        driver.RunAsync(async () =>
        {
            await using var command = Held(Retry, message, delivery);
            command.Parameters.AddWithValue("delay", delay);
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    protected override Task DeadLetterCoreAsync(QueueMessage message, long delivery, string error, CancellationToken cancellation) =>
        driver.RunAsync(async () =>
        {
            await using var command = Held(MoveToDeadLetters, message, delivery);
            command.Parameters.AddWithValue("error", error);
            command.Parameters.AddWithValue("now", SubscribeOptions.NowMs(Time));
            return await command.ExecuteNonQueryAsync(cancellation);
        });

    protected override Exception Translate(Exception error) => error;

    private NpgsqlCommand Command(string sql)
    {
        var command = driver.Command(null, null, sql, @namespace, Queue);
        command.Parameters.AddWithValue("grp", Group);
        return command;
    }

    /// <summary>A command that applies only to this member's current delivery of the message.</summary>
    private NpgsqlCommand Held(string sql, QueueMessage message, long delivery)
    {
        var command = Command(sql);
        command.Parameters.AddWithValue("id", delivery);
        command.Parameters.AddWithValue("consumer", ConsumerId);
        command.Parameters.AddWithValue("attempt", message.Attempt);
        return command;
    }
}
