using System.Collections;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;

namespace Prism.Hosting.Tests;

/// <summary>The one settings reader: each typed accessor with good and bad values, and its messages.</summary>
public class SettingAccessorTests
{
    private static readonly Setting Count = new("PRISM_TEST_COUNT", "test:count", "10", "a count");
    private static readonly Setting Port = new("PRISM_TEST_PORT", "test:port", "8000", "a port");
    private static readonly Setting Flag = new("PRISM_TEST_FLAG", "test:flag", "false", "a flag");
    private static readonly Setting Mode = new("PRISM_TEST_MODE", "test:mode", "fast", "a mode") { Choices = ["fast", "safe"] };
    private static readonly Setting Interval = new("PRISM_TEST_INTERVAL", "test:interval", "30s", "an interval");
    private static readonly Setting Address = new("PRISM_TEST_URL", "test:url", null, "a URL");
    private static readonly Setting File = new("PRISM_TEST_FILE", "test:file", null, "a file");
    private static readonly Setting Password = new("PRISM_TEST_PASSWORD", "test:password", null, "a secret") { Secret = true };
    private static readonly Setting Groups = new("PRISM_TEST_GROUPS", "test:groups", null, "groups by client");

    private static readonly Setting Timeout = new("PRISM_TEST_TIMEOUT", "test:timeout", "1s", "a renamed interval")
    {
        Alias = new DeprecatedAlias("PRISM_TEST_TIMEOUT_MS", "test:timeout_ms", TimeSpan.FromMilliseconds(1)),
    };

    private static readonly Setting[] All = [Count, Port, Flag, Mode, Interval, Address, File, Password, Groups, Timeout];

    [Fact]
    public void UnsetSettings_ReadTheirDefaults()
    {
        var configuration = Environment([]);

        Assert.Equal(10, Count.PositiveInt(configuration));
        Assert.Equal(8000, Port.Port(configuration));
        Assert.False(Flag.Boolean(configuration));
        Assert.Equal("fast", Mode.Choice(configuration));
        Assert.Equal(TimeSpan.FromSeconds(30), Interval.Duration(configuration));
        Assert.Equal(TimeSpan.FromSeconds(1), Timeout.Duration(configuration));
        Assert.False(Address.IsSet(configuration));
        Assert.Empty(Groups.KeyedLists(configuration));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData(" 42 ", 42)]
    public void PositiveInt_ReadsWholeNumbers(string text, int expected) =>
        Assert.Equal(expected, Count.PositiveInt(Environment(new() { ["PRISM_TEST_COUNT"] = text })));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("lots")]
    [InlineData("2147483648")]
    public void PositiveInt_RefusesTheRest_NamingKeyVariableValueAndWhatIsAccepted(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Count.PositiveInt(Environment(new() { ["PRISM_TEST_COUNT"] = text })));

        Assert.Equal($"'test:count' (PRISM_TEST_COUNT) must be a positive whole number; got '{text.Trim()}'.", error.Message);
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("65535", true, 65535)]
    [InlineData("1", false, 1)]
    public void Port_ReadsPortNumbers(string text, bool allowZero, int expected) =>
        Assert.Equal(expected, Port.Port(Environment(new() { ["PRISM_TEST_PORT"] = text }), allowZero));

    [Theory]
    [InlineData("65536", true)]
    [InlineData("-1", true)]
    [InlineData("http", true)]
    [InlineData("0", false)]
    public void Port_RefusesTheRest(string text, bool allowZero)
    {
        var error = Assert.Throws<ConfigurationException>(() => Port.Port(Environment(new() { ["PRISM_TEST_PORT"] = text }), allowZero));

        Assert.StartsWith("'test:port' (PRISM_TEST_PORT) must be a port number from ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"; got '{text}'.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    public void Boolean_ReadsTrueAndFalse(string text, bool expected) =>
        Assert.Equal(expected, Flag.Boolean(Environment(new() { ["PRISM_TEST_FLAG"] = text })));

    [Fact]
    public void Boolean_RefusesAnythingElse()
    {
        var error = Assert.Throws<ConfigurationException>(() => Flag.Boolean(Environment(new() { ["PRISM_TEST_FLAG"] = "maybe" })));

        Assert.Equal("'test:flag' (PRISM_TEST_FLAG) must be 'true' or 'false'; got 'maybe'.", error.Message);
    }

    [Fact]
    public void Choice_IsCaseInsensitive_AndReturnsTheDeclaredSpelling() =>
        Assert.Equal("safe", Mode.Choice(Environment(new() { ["PRISM_TEST_MODE"] = "SAFE" })));

    [Fact]
    public void Choice_RefusesAnUnknownValue_ListingTheAcceptedOnes()
    {
        var error = Assert.Throws<ConfigurationException>(() => Mode.Choice(Environment(new() { ["PRISM_TEST_MODE"] = "fsat" })));

        Assert.Equal("'test:mode' (PRISM_TEST_MODE) must be one of fast, safe; got 'fsat'.", error.Message);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1d", 86_400_000)]
    public void Duration_ReadsTheOneFormat(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Interval.Duration(Environment(new() { ["PRISM_TEST_INTERVAL"] = text })));

    [Theory]
    [InlineData("30")]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("5 minutes")]
    [InlineData("00:00:30")]
    [InlineData("1h30")]
    public void Duration_RefusesBareNumbersZeroAndOtherFormats_WherePositiveIsRequired(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Interval.Duration(Environment(new() { ["PRISM_TEST_INTERVAL"] = text })));

        Assert.Equal(
            $"'test:interval' (PRISM_TEST_INTERVAL) must be a positive duration such as 500ms, 30s, 5m, 1h or 1h30m (units ms, s, m, h, d); got '{text}'.",
            error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0s")]
    public void Duration_AcceptsZero_WhenAllowed(string text) =>
        Assert.Equal(TimeSpan.Zero, Interval.Duration(Environment(new() { ["PRISM_TEST_INTERVAL"] = text }), allowZero: true));

    [Fact]
    public void Duration_RefusesABareNumber_EvenWhereZeroIsAllowed()
    {
        var error = Assert.Throws<ConfigurationException>(() => Interval.Duration(Environment(new() { ["PRISM_TEST_INTERVAL"] = "60" }), allowZero: true));

        Assert.Contains("or 0; got '60'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(90_000, "1m30s")]
    [InlineData(5_400_000, "1h30m")]
    [InlineData(2_592_000_000, "720h")]
    [InlineData(0, "0s")]
    public void GoDuration_Format_WritesWhatItReads(long milliseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.True(GoDuration.TryParse(expected, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }

    [Fact]
    public void Url_ReadsAbsoluteHttpUrls() =>
        Assert.Equal(new Uri("https://idp.example.com/dex"), Address.Url(Environment(new() { ["PRISM_TEST_URL"] = "https://idp.example.com/dex" })));

    [Theory]
    [InlineData("idp.example.com")]
    [InlineData("ftp://idp.example.com")]
    public void Url_RefusesRelativeAndOtherSchemes(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Address.Url(Environment(new() { ["PRISM_TEST_URL"] = text })));

        Assert.Equal($"'test:url' (PRISM_TEST_URL) must be an absolute http or https URL; got '{text}'.", error.Message);
    }

    [Fact]
    public void UnsetSetting_WithoutDefault_IsRefused_WhenRequired()
    {
        var error = Assert.Throws<ConfigurationException>(() => Address.Url(Environment([])));

        Assert.Equal("'test:url' (PRISM_TEST_URL) must be set (not empty).", error.Message);
    }

    [Fact]
    public void FilePath_IsMadeAbsolute_AndAMissingFileIsRefused()
    {
        var configuration = Environment(new() { ["PRISM_TEST_FILE"] = "no-such-file.yaml" });

        Assert.Equal(Path.GetFullPath("no-such-file.yaml"), File.FilePath(configuration));
        var error = Assert.Throws<ConfigurationException>(() => File.FilePath(configuration, mustExist: true));
        Assert.Equal("'test:file' (PRISM_TEST_FILE) must be the path of an existing file; got 'no-such-file.yaml'.", error.Message);
    }

    [Fact]
    public void SecretValues_AreNeverEchoed()
    {
        var configuration = Environment(new() { ["PRISM_TEST_PASSWORD"] = "hunter2-do-not-print" });

        var error = Assert.Throws<ConfigurationException>(() => Password.PositiveInt(configuration));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Equal("'test:password' (PRISM_TEST_PASSWORD) must be a positive whole number; the value given is not shown (secret).", error.Message);
        Assert.Equal("hunter2-do-not-print", Password.RequiredText(configuration));
    }

    [Fact]
    public void KeyedLists_ReadClientGroups_AndRefuseAnEntryWithoutGroups()
    {
        var groups = Groups.KeyedLists(Environment(new() { ["PRISM_TEST_GROUPS"] = "ci=prism:admin, prism:viewer;bot=prism:viewer" }));
        Assert.Equal(["prism:admin", "prism:viewer"], groups["ci"]);
        Assert.Equal(["prism:viewer"], groups["bot"]);

        var error = Assert.Throws<ConfigurationException>(() => Groups.KeyedLists(Environment(new() { ["PRISM_TEST_GROUPS"] = "ci:prism:admin" })));
        Assert.Equal("'test:groups' (PRISM_TEST_GROUPS) must be a list such as 'client=group,group;client2=group'; got 'ci:prism:admin'.", error.Message);
    }

    [Fact]
    public void DeprecatedAlias_IsReadInItsOldUnit_AndReported()
    {
        var configuration = Environment(new() { ["PRISM_TEST_TIMEOUT_MS"] = "250" });

        Assert.Equal(TimeSpan.FromMilliseconds(250), Timeout.Duration(configuration));
        Assert.True(Timeout.UsesDeprecatedAlias(configuration));
        Assert.Equal([Timeout], DeprecatedSettings.InUse(configuration, All));
        Assert.EndsWith(
            " level=WARN msg=\"deprecated setting PRISM_TEST_TIMEOUT_MS is in use; set PRISM_TEST_TIMEOUT=250ms instead\" variable=PRISM_TEST_TIMEOUT_MS replacement=\"PRISM_TEST_TIMEOUT=250ms\"",
            DeprecatedSettings.Line(Timeout, configuration), StringComparison.Ordinal);
    }

    [Fact]
    public void DeprecatedAlias_InTheYamlFile_IsReadToo_AndTheEnvironmentStillWins()
    {
        using var dir = new Prism.Testing.TempDirectory();
        var file = Path.Combine(dir.Path, "prism.yaml");
        System.IO.File.WriteAllText(file, "test:\n  timeout_ms: 750\n");

        Assert.Equal(TimeSpan.FromMilliseconds(750), Timeout.Duration(Environment(new() { ["PRISM_CONFIG"] = file })));
        Assert.Equal(TimeSpan.FromSeconds(2), Timeout.Duration(Environment(new() { ["PRISM_CONFIG"] = file, ["PRISM_TEST_TIMEOUT"] = "2s" })));
    }

    [Fact]
    public void NewName_WinsOverTheDeprecatedAlias()
    {
        var configuration = Environment(new() { ["PRISM_TEST_TIMEOUT_MS"] = "250", ["PRISM_TEST_TIMEOUT"] = "3s" });

        Assert.Equal(TimeSpan.FromSeconds(3), Timeout.Duration(configuration));
        Assert.False(Timeout.UsesDeprecatedAlias(configuration));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1s")]
    [InlineData("abc")]
    public void BadDeprecatedValue_NamesTheOldVariableItsUnitAndTheReplacement(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => Timeout.Duration(Environment(new() { ["PRISM_TEST_TIMEOUT_MS"] = text })));

        Assert.Equal(
            $"'test:timeout_ms' (PRISM_TEST_TIMEOUT_MS, deprecated: use PRISM_TEST_TIMEOUT) must be a positive whole number of milliseconds; got '{text}'.",
            error.Message);
    }

    private static IConfiguration Environment(Dictionary<string, string?> variables) =>
        new ConfigurationBuilder().AddPrismSettings(All, new Hashtable(variables)).Build();
}
