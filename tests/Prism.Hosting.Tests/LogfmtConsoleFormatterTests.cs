using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prism.Hosting.Logging;
using Prism.Hosting.Posture;

namespace Prism.Hosting.Tests;

public class LogfmtConsoleFormatterTests
{
    [Fact]
    public void InsecureDefaultWarning_IsWrittenInTheDocumentedLineFormat()
    {
        var line = Render(logger => DeploymentPosture.Enforce(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            logger,
            [new InsecureDefault("identity", "staticPasswords", "use a real identity provider")]));

        Assert.Contains(
            "level=WARN msg=\"insecure default active in dev mode\" env=dev dependency=identity prod_delta=\"use a real identity provider\"",
            line);
        Assert.StartsWith("ts=2026-01-02T03:04:05.000Z ", line);
    }

    [Fact]
    public void Values_WithQuotesAndNewlines_AreEscapedOnOneLine()
    {
        var line = Render(logger => logger.LogInformation("user {Name} said {Text}", "a b", "x\"y\nz"));

        Assert.Contains("msg=\"user a b said x\\\"y\\nz\"", line);
        Assert.Contains("name=\"a b\"", line);
        Assert.Contains("text=\"x\\\"y\\nz\"", line);
        Assert.DoesNotContain('\n', line.TrimEnd());
    }

    [Theory]
    [InlineData("ProdDelta", "prod_delta")]
    [InlineData("dependency", "dependency")]
    [InlineData("RequestID", "request_id")]
    public void StructuredNames_BecomeSnakeCaseKeys(string name, string key) => Assert.Equal(key, Logfmt.KeyOf(name));

    private static string Render(Action<ILogger> log)
    {
        var formatter = new LogfmtConsoleFormatter(new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        var logger = new FormattingLogger(formatter);
        log(logger);
        return logger.Output.ToString();
    }

    private sealed class FormattingLogger(LogfmtConsoleFormatter formatter) : ILogger
    {
        public StringWriter Output { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format) =>
            formatter.Write(new LogEntry<TState>(logLevel, "test", eventId, state, exception, format), null, Output);
    }
}
