using System.Reflection;
using Prism.Testing;

namespace Prism.Template.Tests;

/// <summary>
/// What a developer does, in temporary folders: pack Prism.Client and the template package into a local feed,
/// install the template into a private template hive, <c>dotnet new prism-service -n Orders</c>, and build it
/// with a nuget.config naming the feed and the registry.
/// </summary>
internal sealed class GeneratedProject : IDisposable
{
    /// <summary>The configuration this test was built in: the projects it references were built in it, so they are packed with no build.</summary>
    private static readonly string Configuration =
        typeof(GeneratedProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private readonly TempDirectory _root = new("prism-template");

    private GeneratedProject(string name)
    {
        Name = name;
        Directory = Path.Combine(_root.Path, "work", name);
    }

    public string Name { get; }

    /// <summary>The generated project's folder.</summary>
    public string Directory { get; }

    /// <summary>The built service.</summary>
    public string Assembly => Path.Combine(Directory, "bin", "Release", "net10.0", Name + ".dll");

    private string Feed => Path.Combine(_root.Path, "feed");

    private string Hive => Path.Combine(_root.Path, "template-hive");

    /// <summary>No user state is read or written: no first-run experience, telemetry or build servers that outlive the test.</summary>
    private Dictionary<string, string?> Environment => new()
    {
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1",
        ["UseSharedCompilation"] = "false",
    };

    private Dictionary<string, string?> BuildEnvironment => new(Environment)
    {
        // A packages folder of its own, so the Prism.Client just packed is used, never an older one of the same
        // version in ~/.nuget/packages (that folder is one of the feeds instead: nothing is downloaded twice).
        ["NUGET_PACKAGES"] = Path.Combine(_root.Path, "packages"),
    };

    /// <summary>Packs, installs, instantiates and builds; a failing step fails the test with its output.</summary>
    public static async Task<GeneratedProject> CreateAsync(string name)
    {
        var project = new GeneratedProject(name);
        try
        {
            await project.PackAsync();
            await RunAsync(project._root.Path, TimeSpan.FromMinutes(1), project.Environment, "new", "install", project.Package("Prism.Templates"), "--debug:custom-hive", project.Hive);
            await RunAsync(project._root.Path, TimeSpan.FromMinutes(1), project.Environment, "new", "prism-service", "-n", name, "-o", project.Directory, "--debug:custom-hive", project.Hive);
            await File.WriteAllTextAsync(Path.Combine(project._root.Path, "work", "nuget.config"), project.NuGetConfig());
            await RunAsync(project.Directory, TimeSpan.FromMinutes(4), project.BuildEnvironment, "build", "-c", "Release", "--nologo", "-v", "quiet");
            return project;
        }
        catch
        {
            project.Dispose();
            throw;
        }
    }

    /// <summary>Every file the template generated, relative to <see cref="Directory"/>, without build output.</summary>
    public IEnumerable<string> SourceFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Directory, f))
            .Where(f => !f.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    public void Dispose() => _root.Dispose();

    private async Task PackAsync()
    {
        foreach (var project in new[] { "src/Prism.Client/Prism.Client.csproj", "templates/Prism.Templates.csproj" })
        {
            await RunAsync(RepositoryRoot.Path, TimeSpan.FromMinutes(2), Environment, "pack", Path.Combine(RepositoryRoot.Path, project),
                "-c", Configuration, "--no-build", "-p:BuildProjectReferences=false", "-o", Feed, "--nologo", "-v", "quiet");
        }
    }

    private string Package(string id)
    {
        var path = Path.Combine(Feed, $"{id}.{TemplateSources.RepositoryVersion}.nupkg");
        Assert.True(File.Exists(path), $"dotnet pack made no {path}");
        return path;
    }

    /// <summary>The local feed for Prism.Client, the registry for the rest (and the user's package cache as an offline copy of it).</summary>
    private string NuGetConfig()
    {
        var cache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cacheSource = System.IO.Directory.Exists(cache) ? $"""    <add key="local-cache" value="{cache}" />""" : "";
        var cachePattern = System.IO.Directory.Exists(cache) ? """    <packageSource key="local-cache"><package pattern="*" /></packageSource>""" : "";
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="prism-local" value="{Feed}" />
            {cacheSource}
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="prism-local"><package pattern="Prism.Client" /></packageSource>
            {cachePattern}
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """;
    }

    private static async Task RunAsync(string workingDirectory, TimeSpan timeout, Dictionary<string, string?> environment, params string[] arguments)
    {
        var start = CliRunner.Command("dotnet", arguments, environment);
        start.WorkingDirectory = workingDirectory;
        var result = await CliRunner.RunAsync(start, timeout);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)}\n{result}");
    }
}
