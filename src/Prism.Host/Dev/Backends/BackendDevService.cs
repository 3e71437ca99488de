using System.Diagnostics;
using Prism.Backends.LocalServers;
using Prism.Hosting.Settings;

namespace Prism.Host.Dev.Backends;

/// <summary>
/// A support backend started from the installed server program, with its data under
/// PRISM_HOME/data/NAME, on the port the backend settings name (so the proxy finds it).
/// </summary>
public abstract class BackendDevService(string name, string program, string debianPackage, int port) : DevService
{
    private string? _version;

    /// <inheritdoc />
    public override string Name => name;

    /// <summary>TCP port the server listens on.</summary>
    protected int Port => port;

    /// <inheritdoc />
    public override bool StartsByDefault => false;

    /// <inheritdoc />
    public override string CommandLineMarker => program;

    /// <inheritdoc />
    public override string Version => _version ??= ReadVersion();

    /// <summary>The server program; a missing one throws naming the Debian package to install.</summary>
    protected virtual string ProgramPath => ServerBinary.Find(program, debianPackage);

    /// <summary>Where the server keeps its data.</summary>
    protected static string DataDirectory(PrismHome home, string service)
    {
        var path = Path.Combine(home.DataDirectory, service);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Start information for the server program with <paramref name="arguments"/>.</summary>
    protected ProcessStartInfo Program(params string[] arguments)
    {
        var start = new ProcessStartInfo(ProgramPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private string ReadVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(ProgramPath, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit(5000);
            var match = System.Text.RegularExpressions.Regex.Match(text, @"v?(\d+\.\d+(\.\d+)?)");
            return match.Success ? match.Groups[1].Value : "?";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
