using System.CommandLine;
using Prism.Host.Dev;
using Prism.Host.Serve;

var root = new RootCommand("Prism: data-access gateway and its local development platform.")
{
    ServeCommand.Create(),
    DevCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
