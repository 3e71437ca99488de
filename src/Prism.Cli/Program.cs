using System.CommandLine;
using Prism.Cli;
using Prism.Cli.Commands;
using Prism.CommandLine;

using var telemetry = CliTelemetry.Listen();
var root = PrismctlCommand.Create();
root.Subcommands.Add(CommandLineConventions.CompletionCommand("prismctl"));
return await CommandLineConventions.RunAsync(root, "prismctl", args, new InvocationConfiguration { EnableDefaultExceptionHandler = false });
