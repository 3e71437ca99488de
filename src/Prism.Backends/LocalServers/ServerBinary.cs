namespace Prism.Backends.LocalServers;

/// <summary>Finds an installed server program, or fails naming the Debian package that provides it.</summary>
public static class ServerBinary
{
    private static readonly string[] SystemFolders = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="program"/> on PATH or in the system folders.</summary>
    /// <exception cref="InvalidOperationException">Not installed.</exception>
    public static string Find(string program, string debianPackage)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var folder in path.Concat(SystemFolders))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{program}' is not installed: install the Debian package '{debianPackage}' (sudo apt-get install {debianPackage}, or `make deps`).");
    }
}
