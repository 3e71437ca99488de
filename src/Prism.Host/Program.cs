using System.CommandLine;
using Prism.CommandLine;
using Prism.Host.Dev;
using Prism.Host.Serve;

var root = new RootCommand("Prism: data-access gateway and its local development platform.")
{
    ServeCommand.Create(),
    DevCommand.Create(),
    CommandLineConventions.CompletionCommand("prism"),
};
return await CommandLineConventions.RunAsync(root, "prism", args);
