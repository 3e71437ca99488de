using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>
/// prism and prismctl are one family on the command line: the completion scripts work in a real bash, and a
/// usage error is one line with exit code 2 in both.
/// </summary>
public sealed class ShellCompletionTests : IDisposable
{
    private readonly TempDirectory _bin = new("completion-bin");

    public ShellCompletionTests()
    {
        // The scripts call the program by name, as an installed one is: put both on PATH as shims.
        Shim("prism", typeof(ModuleCatalog).Assembly.Location);
        Shim("prismctl", typeof(Prism.Cli.ExitCodes).Assembly.Location);
    }

    [Theory]
    [InlineData("prismctl", "prismctl names", "namespace")]
    [InlineData("prismctl", "prismctl namespace cr", "create")]
    [InlineData("prism", "prism dev st", "status")]
    public async Task BashCompletion_CompletesCommands(string program, string line, string expected)
    {
        var script = $"""
            source <({program} completion bash)
            COMP_LINE='{line}'
            COMP_POINT=${"{"}#COMP_LINE{"}"}
            read -r -a COMP_WORDS <<< "$COMP_LINE"
            COMP_CWORD=$(( ${"{"}#COMP_WORDS[@]{"}"} - 1 ))
            _{program}_complete
            printf '%s\n' "${"{"}COMPREPLY[@]{"}"}"
            """;

        var result = await CliRunner.RunAsync(CliRunner.Command("bash", ["-c", script], Environment()), TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([expected], result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("prism", "zsh", "compdef _prism_complete prism")]
    [InlineData("prismctl", "fish", "complete -c prismctl")]
    public async Task ZshAndFishScripts_RegisterTheProgram(string program, string shell, string registration)
    {
        var result = await CliRunner.RunAsync(CliRunner.Command(Path.Combine(_bin.Path, program), ["completion", shell], Environment()), TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(registration, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[suggest:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prism", "dev", "bogus")]
    [InlineData("prismctl", "namespace", "bogus")]
    [InlineData("prism", "completion", "tcsh")]
    [InlineData("prismctl", "completion", "tcsh")]
    public async Task UsageErrors_AreOneLine_ExitCode2(string program, params string[] arguments)
    {
        var result = await CliRunner.RunAsync(CliRunner.Command(Path.Combine(_bin.Path, program), arguments, Environment()), TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{program}: usage error: ", line, StringComparison.Ordinal);
        Assert.Contains("--help')", line, StringComparison.Ordinal);
    }

    public void Dispose() => _bin.Dispose();

    private Dictionary<string, string?> Environment() => new()
    {
        ["PATH"] = $"{_bin.Path}:{System.Environment.GetEnvironmentVariable("PATH")}",
    };

    private void Shim(string name, string assembly)
    {
        var path = Path.Combine(_bin.Path, name);
        File.WriteAllText(path, $"#!/bin/sh\nexec dotnet '{assembly}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
