using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Prism.Testing;

/// <summary>A logger provider that keeps every entry in memory for assertions.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception),
                fields.ToDictionary(f => f.Key, f => f.Value?.ToString()), exception));
        }
    }
}

/// <summary>One captured log entry with its structured fields.</summary>
public sealed record CapturedLogEntry(
    string Category, LogLevel Level, EventId EventId, string Message,
    IReadOnlyDictionary<string, string?> Fields, Exception? Exception);
