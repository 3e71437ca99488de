using System.CommandLine;

namespace Prism.Host.Dev;

/// <summary>
/// <c>prism dev reset</c>: stops everything dev up started and deletes the local platform's data under
/// PRISM_HOME/data (identity keys and tokens, admin's control store, the console's keys, the sqlite key-value
/// file, and the Redis, NATS and PostgreSQL data of dev up's backends — including a PostgreSQL cluster kept
/// outside PRISM_HOME when dev up ran as root) and the cached token. Configuration, certificates and logs stay.
/// </summary>
internal static class DevReset
{
    public static Command Create()
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask (needed when stdin is not a terminal)." };
        var command = new Command("reset", "Stop every service and delete the local data under PRISM_HOME/data (config, certs and logs stay).") { yes };
        command.SetAction((parse, _) => DevCommand.Run([], async (runner, _) =>
        {
            var data = Path.Combine(runner.Home.Root, "data");
            if (!parse.GetValue(yes) && !await ConfirmAsync(data))
            {
                return 2;
            }

            await runner.DownAsync([]);
            var removed = Delete(data);
            var token = Path.Combine(runner.Home.Root, "token");
            if (File.Exists(token))
            {
                File.Delete(token); // signed by keys that are gone
                removed.Add(token);
            }

            foreach (var path in removed)
            {
                await Console.Out.WriteLineAsync($"deleted {path}");
            }

            await Console.Out.WriteLineAsync("reset: the next dev up starts from empty data");
            return 0;
        }));
        return command;
    }

    private static async Task<bool> ConfirmAsync(string data)
    {
        if (Console.IsInputRedirected)
        {
            await Console.Error.WriteLineAsync($"prism dev reset: deletes {data}; add --yes to confirm");
            return false;
        }

        await Console.Out.WriteAsync($"Stop every service and delete {data}? [y/N] ");
        return (await Console.In.ReadLineAsync())?.Trim().ToLowerInvariant() is "y" or "yes";
    }

    /// <summary>Deletes <paramref name="data"/>, and the targets of links in it (data dev up keeps elsewhere).</summary>
    private static List<string> Delete(string data)
    {
        var removed = new List<string>();
        if (!Directory.Exists(data))
        {
            return removed;
        }

        foreach (var link in Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories)
                     .Select(path => new DirectoryInfo(path)).Where(d => d.LinkTarget is not null).ToList())
        {
            if (link.ResolveLinkTarget(returnFinalTarget: true) is DirectoryInfo { Exists: true } target)
            {
                target.Delete(recursive: true);
                removed.Add(target.FullName);
            }
        }

        Directory.Delete(data, recursive: true);
        removed.Add(data);
        return removed;
    }
}
