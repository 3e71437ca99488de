using System.Text.RegularExpressions;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>The drift gate: every variable the code reads is documented in docs/configuration.md.</summary>
public partial class ConfigurationDocsTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"));

    [Fact]
    public void EveryPrismVariableInTheSource_IsDocumented()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var variables = sources
            .SelectMany(f => VariableName().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .Distinct()
            .Order()
            .ToList();

        Assert.NotEmpty(variables);
        var undocumented = variables.Where(v => !Docs.Contains($"`{v}`", StringComparison.Ordinal)).ToList();
        Assert.True(undocumented.Count == 0, "Read by src/ but missing from docs/configuration.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void EveryDeclaredSetting_IsDocumentedWithItsKey()
    {
        var missing = ModuleCatalog.AllSettings
            .Where(s => !Docs.Contains($"`{s.EnvironmentVariable}`", StringComparison.Ordinal) || !Docs.Contains($"`{s.Key}`", StringComparison.Ordinal))
            .Select(s => s.EnvironmentVariable)
            .ToList();

        Assert.True(missing.Count == 0, "Settings without a documented variable and key: " + string.Join(", ", missing));
    }

    [GeneratedRegex(@"\bPRISM_[A-Z0-9_]*[A-Z0-9]\b")]
    private static partial Regex VariableName();
}
