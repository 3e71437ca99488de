using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prism.Hosting.Logging;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Tests;

public class LoggingSettingsTests
{
    [Fact]
    public void JsonFormat_WritesOneObjectPerLine_WithTheLogfmtFields()
    {
        var formatter = new JsonLineConsoleFormatter(new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)));
        var output = new StringWriter();
        var state = new Dictionary<string, object?> { ["ProdDelta"] = "x\"y\nz", ["{OriginalFormat}"] = "ignored" }.ToList();
        formatter.Write(new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(
            LogLevel.Warning, "Prism.Test", default, state, new InvalidOperationException("boom"), (_, _) => "hello \"world\""), null, output);

        var line = output.ToString().TrimEnd();
        Assert.DoesNotContain('\n', line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("2026-01-02T03:04:05.000Z", root.GetProperty("ts").GetString());
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("hello \"world\"", root.GetProperty("msg").GetString());
        Assert.Equal("x\"y\nz", root.GetProperty("prod_delta").GetString());
        Assert.Equal("Prism.Test", root.GetProperty("logger").GetString());
        Assert.Equal("InvalidOperationException: boom", root.GetProperty("error").GetString());
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug, true)]
    [InlineData("warn", LogLevel.Information, false)]
    [InlineData("WARN", LogLevel.Warning, true)]
    [InlineData("error", LogLevel.Warning, false)]
    public void Level_FiltersPrismCategories(string level, LogLevel written, bool enabled)
    {
        using var provider = Logging(("PRISM_LOG_LEVEL", level));
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Prism.Proxy.Test");
        Assert.Equal(enabled, logger.IsEnabled(written));
    }

    [Fact]
    public void FrameworkCategories_StayAtWarn_UnlessDebugIsAsked()
    {
        using (var quiet = Logging(("PRISM_LOG_LEVEL", "info")))
        {
            Assert.False(quiet.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting").IsEnabled(LogLevel.Information));
        }

        using var verbose = Logging(("PRISM_LOG_LEVEL", "debug"));
        Assert.True(verbose.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting").IsEnabled(LogLevel.Debug));
    }

    [Theory]
    [InlineData("PRISM_LOG_LEVEL", "verbose", "'log:level' (PRISM_LOG_LEVEL)", "trace, debug, info, warn, error")]
    [InlineData("PRISM_LOG_FORMAT", "xml", "'log:format' (PRISM_LOG_FORMAT)", "logfmt, json")]
    public void UnknownValues_AreRefused_NamingKeyVariableAndChoices(string variable, string value, string named, string choices)
    {
        var error = Assert.Throws<ConfigurationException>(() => CoreSettings.Validate(Configuration((variable, value))));
        Assert.Contains(named, error.Message);
        Assert.Contains(choices, error.Message);
        Assert.Contains(value, error.Message);
    }

    private static ServiceProvider Logging(params (string Name, string Value)[] values)
    {
        var configuration = Configuration(values);
        return new ServiceCollection().AddLogging(l => l.AddPrismConsole(configuration)).BuildServiceProvider();
    }

    private static IConfiguration Configuration(params (string Name, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddPrismSettings(CoreSettings.All, values.ToDictionary(v => v.Name, v => (string?)v.Value))
            .Build();
}
