using System.CommandLine;
using System.Text.RegularExpressions;
using Prism.Cli;
using Prism.Cli.Commands;

using var telemetry = CliTelemetry.Listen();
var root = PrismctlCommand.Create();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    var messages = string.Join("; ", parse.Errors.Select(e => Regex.Replace(e.Message, @"\s*\n\s*", " ").TrimEnd('.')).Distinct());
    var command = string.Join(' ', parse.CommandResult.Command.Name == root.Name ? ["prismctl"] : ["prismctl", .. CommandPath(parse)]);
    await Console.Error.WriteLineAsync($"prismctl: usage error: {messages} (see '{command} --help')");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });

static IEnumerable<string> CommandPath(ParseResult parse)
{
    var names = new List<string>();
    for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
    {
        names.Insert(0, result.Command.Name);
    }

    return names;
}
