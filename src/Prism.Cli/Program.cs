using System.CommandLine;
using Prism.Cli;
using Prism.Cli.Commands;

using var telemetry = CliTelemetry.Listen();
var root = PrismctlCommand.Create();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"prismctl: usage error: {parse.Errors[0].Message} (see 'prismctl --help')");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
