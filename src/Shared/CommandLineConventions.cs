using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Prism.CommandLine;

/// <summary>
/// What prism and prismctl share on the command line (compiled into both): a usage error is one line on stderr,
/// <c>&lt;program&gt;: usage error: … (see '&lt;command&gt; --help')</c>, with exit code 2; and a <c>completion</c>
/// command printing the shell script that completes the program through System.CommandLine's <c>[suggest]</c> directive.
/// </summary>
internal static partial class CommandLineConventions
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The shells <see cref="CompletionCommand"/> writes scripts for.</summary>
    public static readonly IReadOnlyList<string> Shells = ["bash", "zsh", "fish"];

    /// <summary>Parses <paramref name="args"/>; a usage error is reported in one line, otherwise the command runs.</summary>
    public static async Task<int> RunAsync(RootCommand root, string program, string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var messages = string.Join("; ", parse.Errors.Select(e => Whitespace().Replace(e.Message, " ").TrimEnd('.')).Distinct());
            var command = string.Join(' ', [program, .. CommandPath(parse)]);
            await Console.Error.WriteLineAsync($"{program}: usage error: {messages} (see '{command} --help')");
            return UsageExitCode;
        }

        return await parse.InvokeAsync(configuration ?? new InvocationConfiguration());
    }

    /// <summary><c>completion bash|zsh|fish</c>: prints the script to source, e.g. <c>source &lt;(program completion bash)</c>.</summary>
    public static Command CompletionCommand(string program)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish." };
        shell.AcceptOnlyFromAmong([.. Shells]);
        var command = new Command("completion", $"Print the shell completion script: source <({program} completion bash), or add it to your shell's startup file.")
        {
            shell,
        };
        command.SetAction(parse =>
        {
            Console.Out.Write(Script(program, parse.GetValue(shell)!));
            return 0;
        });
        return command;
    }

    /// <summary>The completion script of <paramref name="program"/> for <paramref name="shell"/>.</summary>
    public static string Script(string program, string shell)
    {
        var function = "_" + program.Replace('-', '_') + "_complete";
        return shell switch
        {
            "bash" => $$"""
                # bash completion for {{program}}: source <({{program}} completion bash)
                {{function}}() {
                    local IFS=$'\n'
                    COMPREPLY=( $(compgen -W "$({{program}} "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
                }
                complete -o default -F {{function}} {{program}}

                """,
            "zsh" => $$"""
                # zsh completion for {{program}}: source <({{program}} completion zsh)
                {{function}}() {
                    local -a candidates
                    candidates=("${(@f)$({{program}} "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
                    compadd -- "${candidates[@]}"
                }
                compdef {{function}} {{program}}

                """,
            "fish" => $$"""
                # fish completion for {{program}}: {{program}} completion fish | source
                complete -c {{program}} -f -a '({{program}} "[suggest:"(string length -- (commandline -cp))"]" (commandline -cp) 2>/dev/null)'

                """,
            _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "bash, zsh or fish"),
        };
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex Whitespace();
}
