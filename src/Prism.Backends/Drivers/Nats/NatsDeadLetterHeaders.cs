using System.Globalization;
using NATS.Client.Core;

namespace Prism.Backends.Drivers.Nats;

/// <summary>Headers a dead letter carries beside the message's own (<see cref="NatsMessageHeaders"/>); text values percent-encoded.</summary>
internal static class NatsDeadLetterHeaders
{
    public const string Group = "prism-dl-group";
    public const string MessageId = "prism-dl-message-id";
    public const string Attempts = "prism-dl-attempts";
    public const string Error = "prism-dl-error";
    public const string DeadAt = "prism-dl-dead-at";

    public static void Add(NatsHeaders headers, string group, string messageId, int attempts, string error, long deadAt)
    {
        headers[Group] = Uri.EscapeDataString(group);
        headers[MessageId] = Uri.EscapeDataString(messageId);
        headers[Attempts] = attempts.ToString(CultureInfo.InvariantCulture);
        headers[Error] = Uri.EscapeDataString(error);
        headers[DeadAt] = deadAt.ToString(CultureInfo.InvariantCulture);
    }

    public static (string Group, string MessageId, int Attempts, string Error, long DeadAt) Read(NatsHeaders headers) =>
        (Text(headers, Group), Text(headers, MessageId), (int)Number(headers, Attempts), Text(headers, Error), Number(headers, DeadAt));

    private static string Text(NatsHeaders headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? Uri.UnescapeDataString(values[0] ?? "") : "";

    private static long Number(NatsHeaders headers, string name) =>
        long.TryParse(Text(headers, name), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
}
