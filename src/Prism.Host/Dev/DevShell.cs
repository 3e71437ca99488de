using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;

namespace Prism.Host.Dev;

/// <summary>
/// <c>prism dev env</c> and <c>prism dev run -- COMMAND</c>: the environment a process needs to talk to the local
/// stack (endpoints, issuer, OTLP receiver, developer login, TLS trust), printed for a shell or given to a command,
/// as <c>dapr run</c> does.
/// </summary>
internal static class DevShell
{
    public static Command EnvCommand()
    {
        var json = new Option<bool>("--json") { Description = "One JSON object instead of export lines." };
        var command = new Command("env", "Print the environment for the local stack as export lines: eval \"$(prism dev env)\".") { json };
        command.SetAction((parse, _) => DevCommand.Run([], async (runner, services) =>
        {
            var exports = runner.Exports(services);
            if (parse.GetValue(json))
            {
                await DevJson.WriteAsync(Console.Out, exports.ToDictionary(e => e.Key, e => e.Value));
                return 0;
            }

            foreach (var (name, value) in exports)
            {
                await Console.Out.WriteLineAsync($"export {name}={Quote(value)}");
            }

            return 0;
        }, prepare: DevTls.Resume));
        return command;
    }

    public static Command RunCommand()
    {
        var program = new Argument<string[]>("command") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run a command with the local stack's environment: prism dev run -- dotnet run.") { program };
        command.SetAction((parse, cancellation) => DevCommand.Run([], async (runner, services) =>
        {
            var arguments = parse.GetValue(program)!;
            var start = new ProcessStartInfo(arguments[0]) { UseShellExecute = false };
            foreach (var argument in arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in runner.Exports(services))
            {
                start.Environment[name] = value;
            }

            try
            {
                using var process = Process.Start(start)!;
                await process.WaitForExitAsync(CancellationToken.None); // Ctrl-C reaches the command too: wait for it to end
                return process.ExitCode;
            }
            catch (Win32Exception e)
            {
                await Console.Error.WriteLineAsync($"prism dev run: cannot run '{arguments[0]}': {e.Message}");
                return 127;
            }
        }, prepare: DevTls.Resume));
        return command;
    }

    /// <summary>A value as a POSIX shell reads it back: bare when safe, else in single quotes.</summary>
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
