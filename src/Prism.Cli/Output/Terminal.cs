using Prism.Cli.Config;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Prism.Cli.Output;

/// <summary>
/// The Spectre consoles of one run: stdout for results, stderr for progress and errors. Without a
/// terminal, or with NO_COLOR set, they write plain text without ANSI sequences.
/// </summary>
public sealed class Terminal
{
    /// <summary>Width used when the output is not a terminal, so tables never wrap in files and pipes.</summary>
    private const int PipeWidth = 240;

    private Terminal(IAnsiConsole output, IAnsiConsole error, bool outputIsTerminal, bool errorIsTerminal)
    {
        Out = output;
        Error = error;
        OutputIsTerminal = outputIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
    }

    /// <summary>Results.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Progress, notices and errors.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Whether stdout is a terminal.</summary>
    public bool OutputIsTerminal { get; }

    /// <summary>Whether stderr is a terminal (spinners are shown only then).</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>
    /// Writes <paramref name="renderable"/> on stdout: as is on a terminal; otherwise tables lose their
    /// borders and every line its trailing blanks, so the output reads like kubectl's in pipes and files.
    /// </summary>
    public void Write(IRenderable renderable)
    {
        if (renderable is Table table)
        {
            table.Border(OutputIsTerminal ? TableBorder.Rounded : TableBorder.None);
            if (!OutputIsTerminal)
            {
                foreach (var column in table.Columns)
                {
                    column.Padding = new Padding(0, 0, 3, 0);
                }
            }
        }

        if (OutputIsTerminal)
        {
            Out.Write(renderable);
            return;
        }

        using var buffer = new StringWriter();
        var plain = Create(buffer, false, true);
        plain.Write(renderable);
        var writer = Out.Profile.Out.Writer;
        // Lines of only blanks are table padding; truly empty lines belong to the content.
        foreach (var line in buffer.ToString().TrimEnd('\n').Split('\n'))
        {
            if (line.Length == 0 || line.Trim().Length > 0)
            {
                writer.WriteLine(line.TrimEnd());
            }
        }
    }

    /// <summary>Consoles for the process's stdout and stderr.</summary>
    public static Terminal ForProcess(Func<string, string?> environment)
    {
        var noColor = environment(CliEnvironment.NoColor) is { Length: > 0 };
        var outIsTerminal = !Console.IsOutputRedirected;
        var errIsTerminal = !Console.IsErrorRedirected;
        return new Terminal(
            Create(Console.Out, outIsTerminal, noColor),
            Create(Console.Error, errIsTerminal, noColor),
            outIsTerminal,
            errIsTerminal);
    }

    private static IAnsiConsole Create(TextWriter writer, bool isTerminal, bool noColor)
    {
        var plain = !isTerminal || noColor;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = PipeWidth;
        }

        return console;
    }
}
