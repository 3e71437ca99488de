using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>The Makefile's rebuild rule depends on the sources, not on what builds and test runs leave behind.</summary>
public sealed class MakefileTests
{
    [Fact]
    public async Task BuildSources_LeaveOutObjAndBin()
    {
        var start = CliRunner.Command("make", ["--no-print-directory", "-pn", "-C", RepositoryRoot.Path, "help"], new Dictionary<string, string?>());
        var make = await CliRunner.RunAsync(start, TimeSpan.FromSeconds(60));
        Assert.Equal(0, make.ExitCode);

        var sources = make.StandardOutput.Split('\n').Single(l => l.StartsWith("SOURCES :=", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();

        Assert.Contains("src/Prism.Host/Program.cs", sources);
        Assert.DoesNotContain(sources, s => s.Contains("/obj/", StringComparison.Ordinal) || s.Contains("/bin/", StringComparison.Ordinal));
    }
}
