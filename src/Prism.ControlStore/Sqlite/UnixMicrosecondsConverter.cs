using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Prism.ControlStore.Sqlite;

/// <summary>Stores a timestamp as INTEGER microseconds since the Unix epoch: exact, sortable and comparable in SQL.</summary>
internal sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    value => ToMicroseconds(value),
    value => FromMicroseconds(value))
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static long ToMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerMicrosecond;

    public static DateTimeOffset FromMicroseconds(long value) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (value * TicksPerMicrosecond), TimeSpan.Zero);
}
