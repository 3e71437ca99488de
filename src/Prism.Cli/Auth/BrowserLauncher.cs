using System.ComponentModel;
using System.Diagnostics;

namespace Prism.Cli.Auth;

/// <summary>Opens a URL in the user's browser when there is a graphical session; never fails the login.</summary>
public static class BrowserLauncher
{
    /// <summary>Tries to open <paramref name="url"/>; true when a browser was started.</summary>
    public static bool TryOpen(string url, Func<string, string?> environment)
    {
        try
        {
            ProcessStartInfo? start = null;
            if (OperatingSystem.IsLinux() && (environment("DISPLAY") is { Length: > 0 } || environment("WAYLAND_DISPLAY") is { Length: > 0 }))
            {
                start = new ProcessStartInfo("xdg-open");
            }
            else if (OperatingSystem.IsMacOS())
            {
                start = new ProcessStartInfo("open");
            }

            if (start is null)
            {
                return false;
            }

            start.ArgumentList.Add(url);
            start.UseShellExecute = false;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
