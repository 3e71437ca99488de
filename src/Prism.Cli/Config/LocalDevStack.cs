using System.Diagnostics;
using System.Globalization;

namespace Prism.Cli.Config;

/// <summary>
/// Whether <c>prism dev up</c> runs an identity provider for this PRISM_HOME: its supervisor keeps the pid of
/// each service it started in <c>run/NAME.pid</c>. Its developer identity is then the login to use, as
/// <c>PRISM_LOCAL_DEV=true</c> would say.
/// </summary>
internal static class LocalDevStack
{
    public static bool IsRunning(string home)
    {
        var pidFile = Path.Combine(home, "run", "identity.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process: a stale pid file
        }
    }
}
