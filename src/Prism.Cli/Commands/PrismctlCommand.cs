using System.CommandLine;

namespace Prism.Cli.Commands;

/// <summary>The <c>prismctl</c> root command and its command groups.</summary>
public static class PrismctlCommand
{
    /// <summary>Builds the whole command tree.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("prismctl: operate a Prism control plane (namespaces, configs, sessions, backends, queues, operations, audit).");
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        foreach (var command in AuthCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(ApplyCommand.Create());
        root.Subcommands.Add(NamespaceCommands.Create());
        root.Subcommands.Add(ConfigCommands.Create());
        root.Subcommands.Add(SessionCommands.Create());
        root.Subcommands.Add(BackendCommands.Create());
        root.Subcommands.Add(QueueDataCommands.AddTo(QueueCommands.Create()));
        root.Subcommands.Add(KeyValueCommands.Create());
        root.Subcommands.Add(PubSubCommands.Create());
        foreach (var command in OperationsCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        return root;
    }
}
