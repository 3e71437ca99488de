using System.Text.RegularExpressions;
using System.Xml.Linq;
using Prism.Testing;

namespace Prism.Template.Tests;

/// <summary>The template's files in this repository and the versions the repository pins.</summary>
internal static partial class TemplateSources
{
    public static string ContentRoot { get; } = Path.Combine(RepositoryRoot.Path, "templates", "content", "prism-service");

    public static string ProjectFile { get; } = Path.Combine(ContentRoot, "PrismService.csproj");

    /// <summary>The repository's Version (Directory.Build.props): Prism.Client's and the template package's.</summary>
    public static string RepositoryVersion { get; } =
        XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>Directory.Packages.props' pins, with its $(Properties) substituted.</summary>
    public static IReadOnlyDictionary<string, string> CentralPins()
    {
        var props = XDocument.Load(Path.Combine(RepositoryRoot.Path, "Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value, StringComparer.Ordinal);
        return props.Descendants("PackageVersion").ToDictionary(
            e => e.Attribute("Include")!.Value,
            e => PropertyReference().Replace(e.Attribute("Version")!.Value, m => properties[m.Groups[1].Value]),
            StringComparer.Ordinal);
    }

    /// <summary>The template project's PackageReferences and their versions.</summary>
    public static IReadOnlyDictionary<string, string> TemplateReferences() =>
        XDocument.Load(ProjectFile).Descendants("PackageReference").ToDictionary(
            e => e.Attribute("Include")!.Value, e => e.Attribute("Version")?.Value ?? "", StringComparer.Ordinal);

    /// <summary>The images of a Dockerfile's FROM lines (without --platform and AS).</summary>
    public static IReadOnlyList<string> DockerfileImages(string path) =>
        File.ReadAllLines(path).Where(line => line.StartsWith("FROM ", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).First(word => !word.StartsWith("--", StringComparison.Ordinal)))
            .ToList();

    [GeneratedRegex(@"\$\(([A-Za-z0-9_]+)\)")]
    private static partial Regex PropertyReference();
}
