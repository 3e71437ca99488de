using System.CommandLine;
using Prism.Cli.Output;

namespace Prism.Cli.Commands;

/// <summary>Runs command handlers: one activity per command, one context, every failure reported in one line.</summary>
public static class CommandRunner
{
    private static readonly Func<string, string?> Environment = System.Environment.GetEnvironmentVariable;

    /// <summary>Sets <paramref name="handler"/> as the action of <paramref name="command"/>.</summary>
    public static void SetHandler(this Command command, Func<CommandContext, ParseResult, CancellationToken, Task<int>> handler) =>
        command.SetAction(async (parse, cancellation) =>
        {
            using var activity = CliTelemetry.Source.StartActivity("prismctl " + CommandPath(parse));
            var terminal = Terminal.ForProcess(Environment);
            CommandContext? context = null;
            try
            {
                context = CommandContext.Create(parse, terminal, Environment);
                var code = await handler(context, parse, cancellation);
                activity?.SetTag("process.exit.code", code);
                return code;
            }
            catch (Exception e)
            {
                var code = ErrorReporter.Report(e, Console.Error, parse.GetValue(GlobalOptions.Verbose), context?.Settings.AdminEndpoint, context?.LastRequestId);
                activity?.SetTag("process.exit.code", code);
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
                return code;
            }
            finally
            {
                context?.Dispose();
            }
        });

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
            {
                names.Insert(0, result.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
