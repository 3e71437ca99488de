using Microsoft.Extensions.Logging;

namespace Prism.Backends;

/// <summary>Log messages of the backend drivers.</summary>
internal static partial class BackendLog
{
    [LoggerMessage(EventId = 5101, EventName = "ExpiredKeysPurged", Level = LogLevel.Debug, Message = "Purged {Count} expired keys from {Backend}")]
    public static partial void ExpiredKeysPurged(ILogger logger, string backend, int count);

    [LoggerMessage(EventId = 5102, EventName = "PurgeFailed", Level = LogLevel.Warning, Message = "Purging expired data from {Backend} failed")]
    public static partial void PurgeFailed(ILogger logger, string backend, Exception exception);

    [LoggerMessage(EventId = 5103, EventName = "BackendUnavailable", Level = LogLevel.Warning,
        Message = "Backend {Backend} is unavailable ({Code}): {Detail}; further failed calls are counted, not logged, until it answers again")]
    public static partial void BackendUnavailable(ILogger logger, string backend, string code, string detail);

    [LoggerMessage(EventId = 5110, EventName = "BackendRestored", Level = LogLevel.Information, Message = "Backend {Backend} answers again; {FailedCalls} calls failed during the outage")]
    public static partial void BackendRestored(ILogger logger, string backend, long failedCalls);

    [LoggerMessage(EventId = 5104, EventName = "SubscriberLagging", Level = LogLevel.Warning, Message = "Subscriber {SubscriberId} on {Backend} topic {Topic} fell behind and was disconnected")]
    public static partial void SubscriberLagging(ILogger logger, string backend, string topic, string subscriberId);

    [LoggerMessage(EventId = 5105, EventName = "ListenerLost", Level = LogLevel.Warning, Message = "Notification listener of {Backend} lost its connection; reconnecting")]
    public static partial void ListenerLost(ILogger logger, string backend, Exception exception);

    [LoggerMessage(EventId = 5107, EventName = "ListenerRestored", Level = LogLevel.Information, Message = "Notification listener of {Backend} is back; {Count} messages published meanwhile were delivered")]
    public static partial void ListenerRestored(ILogger logger, string backend, int count);

    [LoggerMessage(EventId = 5108, EventName = "ListenerGaveUp", Level = LogLevel.Warning, Message = "Notification listener of {Backend} could not reconnect within {Seconds} s; live subscriptions were ended")]
    public static partial void ListenerGaveUp(ILogger logger, string backend, double seconds, Exception exception);

    [LoggerMessage(EventId = 5109, EventName = "UnreadableMetadata", Level = LogLevel.Warning, Message = "Message {MessageId} on {Backend} has metadata Prism did not write; delivered without metadata")]
    public static partial void UnreadableMetadata(ILogger logger, string backend, string messageId);

    [LoggerMessage(EventId = 5106, EventName = "SchemaReady", Level = LogLevel.Information, Message = "{Backend} tables are ready")]
    public static partial void SchemaReady(ILogger logger, string backend);
}
