using System.Collections;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.Hosting.Tests;

public class PrismConfigurationTests
{
    private static readonly Setting Port = new("PRISM_TEST_PORT", "test:port", "1000", "a port");
    private static readonly Setting Name = new("PRISM_TEST_NAME", "test:name", null, "a name");

    [Fact]
    public void Defaults_ApplyWhenNothingElseSetsAValue()
    {
        var configuration = Build(new Hashtable());

        Assert.Equal("1000", configuration["test:port"]);
        Assert.Null(configuration["test:name"]);
    }

    [Fact]
    public void YamlFile_OverridesDefaults_AndEnvironmentOverridesTheFile()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "prism.yaml");
        File.WriteAllText(file, "test:\n  port: 2000\n  name: from-file\nlist:\n  - a\n  - b\n");

        var configuration = Build(new Hashtable { ["PRISM_CONFIG"] = file, ["PRISM_TEST_NAME"] = "from-env" });

        Assert.Equal("2000", configuration["test:port"]);
        Assert.Equal("from-env", configuration["test:name"]);
        Assert.Equal("b", configuration["list:1"]);
    }

    [Fact]
    public void MalformedYamlFile_IsRejected_NamingTheFileAndLine()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "prism.yaml");
        File.WriteAllText(file, "test:\n  port: 2000\n   name: [unclosed\n");

        var error = Assert.Throws<ConfigurationException>(() => Build(new Hashtable { ["PRISM_CONFIG"] = file }));

        Assert.Contains(file, error.Message);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void MissingYamlFile_IsRejected_NamingTheVariable()
    {
        var error = Assert.Throws<ConfigurationException>(() => Build(new Hashtable { ["PRISM_CONFIG"] = "/nonexistent/prism.yaml" }));

        Assert.Contains("PRISM_CONFIG", error.Message);
    }

    private static IConfiguration Build(IDictionary environment) =>
        new ConfigurationBuilder().AddPrismSettings([Port, Name], environment).Build();
}
