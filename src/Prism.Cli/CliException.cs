namespace Prism.Cli;

/// <summary>
/// A failure prismctl explains to the user in one line: <see cref="Exception.Message"/> is that line
/// (without the <c>prismctl:</c> prefix) and <see cref="ExitCode"/> the process exit code.
/// </summary>
public sealed class CliException : Exception
{
    /// <summary>Creates a failure with its one-line message and exit code.</summary>
    public CliException(int exitCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    /// <summary>Creates a generic failure (exit code 1).</summary>
    public CliException()
        : this(ExitCodes.Error, "error")
    {
    }

    /// <summary>Creates a generic failure (exit code 1).</summary>
    public CliException(string message)
        : this(ExitCodes.Error, message)
    {
    }

    /// <summary>Creates a generic failure (exit code 1) with its cause.</summary>
    public CliException(string message, Exception inner)
        : this(ExitCodes.Error, message, inner)
    {
    }

    /// <summary>The process exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>Every line to print: <see cref="Exception.Message"/> alone, or one line per error of a list.</summary>
    public IReadOnlyList<string> Lines { get; private init; } = [];

    /// <summary>A usage error (exit code 2).</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, "usage error: " + message);

    /// <summary>Several usage errors found together (exit code 2), printed one per line.</summary>
    public static CliException Usage(IEnumerable<string> messages)
    {
        var lines = messages.Select(m => "usage error: " + m).ToList();
        return new(ExitCodes.Usage, lines.Count > 0 ? lines[0] : "usage error") { Lines = lines };
    }
}
