using Microsoft.Extensions.Configuration;

namespace Prism.Hosting.Settings;

/// <summary>
/// The PRISM_HOME folder: <c>config.yaml</c>, <c>token</c>, <c>data/</c>, <c>logs/</c>, <c>run/</c>.
/// </summary>
public sealed class PrismHome
{
    /// <summary>Creates a home rooted at <paramref name="root"/>.</summary>
    public PrismHome(string root) => Root = Path.GetFullPath(root);

    /// <summary>Absolute path of the folder.</summary>
    public string Root { get; }

    /// <summary>Durable module data (databases, signing keys).</summary>
    public string DataDirectory => Ensure(Path.Combine(Root, "data"));

    /// <summary>Logs of detached processes started by <c>prism dev up</c>.</summary>
    public string LogsDirectory => Ensure(Path.Combine(Root, "logs"));

    /// <summary>Pid files of detached processes.</summary>
    public string RunDirectory => Ensure(Path.Combine(Root, "run"));

    /// <summary>The home named by configuration (PRISM_HOME), or <c>~/.prism</c>.</summary>
    public static PrismHome From(IConfiguration configuration) => new(ResolveRoot(configuration[CoreSettings.Home.Key]));

    /// <summary>The home named by the PRISM_HOME environment variable, or <c>~/.prism</c>.</summary>
    public static PrismHome FromEnvironment() =>
        new(ResolveRoot(System.Environment.GetEnvironmentVariable(CoreSettings.Home.EnvironmentVariable)));

    private static string ResolveRoot(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".prism")
            : configured;

    private static string Ensure(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}
