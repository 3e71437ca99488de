using Prism.Testing;
using YamlDotNet.RepresentationModel;

namespace Prism.Host.Tests;

/// <summary>
/// Reads deploy/ the way the deploy tests need it: YAML documents of compose files and Kustomize
/// manifests, and what a kustomization (with its bases and components) puts together. Not a Kustomize
/// implementation: patches are kept as documents beside the resources, not merged into them.
/// </summary>
internal static class DeployTree
{
    public static string Root { get; } = Path.Combine(RepositoryRoot.Path, "deploy");

    public static string KustomizeRoot { get; } = Path.Combine(Root, "kustomize");

    /// <summary>Every YAML file under deploy/.</summary>
    public static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Root, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    /// <summary>Every folder under deploy/kustomize that holds a kustomization.yaml.</summary>
    public static IEnumerable<string> KustomizationDirectories() =>
        Directory.EnumerateFiles(KustomizeRoot, "kustomization.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(f)!)
            .Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/');

    public static IReadOnlyList<YamlMappingNode> Documents(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(file));
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlMappingNode Kustomization(string directory) => Documents(Path.Combine(directory, "kustomization.yaml")).Single();

    /// <summary>Scalars of a sequence-valued key (resources, components), or none.</summary>
    public static IEnumerable<string> Strings(YamlMappingNode node, string key) =>
        Child(node, key) is YamlSequenceNode sequence ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value!) : [];

    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>Every mapping node in a tree, the root included.</summary>
    public static IEnumerable<YamlMappingNode> Mappings(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                yield return mapping;
                foreach (var child in mapping.Children.Values.SelectMany(Mappings))
                {
                    yield return child;
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence.Children.SelectMany(Mappings))
                {
                    yield return child;
                }

                break;
        }
    }

    /// <summary>Paths a kustomization names (resources, components, patch files), relative to its folder.</summary>
    public static IEnumerable<string> ReferencedPaths(YamlMappingNode kustomization)
    {
        foreach (var path in Strings(kustomization, "resources").Concat(Strings(kustomization, "components")).Concat(Strings(kustomization, "patchesStrategicMerge")))
        {
            yield return path;
        }

        if (Child(kustomization, "patches") is YamlSequenceNode patches)
        {
            foreach (var patch in patches.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(patch, "path") is { } path)
                {
                    yield return path;
                }
            }
        }
    }

    /// <summary>What one kustomization assembles, following its resources and components.</summary>
    public static Assembled Assemble(string directory)
    {
        var kustomization = Kustomization(directory);
        var result = new Assembled();
        foreach (var entry in Strings(kustomization, "resources").Concat(Strings(kustomization, "components")))
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            if (Directory.Exists(path))
            {
                result.Add(Assemble(path));
            }
            else
            {
                result.Resources.AddRange(Documents(path).Select(d => new Placed(path, d)));
            }
        }

        foreach (var path in ReferencedPaths(kustomization).Except(Strings(kustomization, "resources")).Except(Strings(kustomization, "components")))
        {
            foreach (var document in Documents(Path.Combine(directory, path)))
            {
                if (Scalar(document, "$patch") == "delete")
                {
                    result.Resources.RemoveAll(r => Scalar(r.Document, "kind") == Scalar(document, "kind") && NameOf(r.Document) == NameOf(document));
                }
                else
                {
                    result.Patches.Add(new Placed(Path.Combine(directory, path), document));
                }
            }
        }

        if (Child(kustomization, "configMapGenerator") is YamlSequenceNode generators)
        {
            foreach (var generator in generators.Children.OfType<YamlMappingNode>())
            {
                var name = Scalar(generator, "name")!;
                var literals = Strings(generator, "literals").Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                if (Scalar(generator, "behavior") == "merge" && result.ConfigMaps.TryGetValue(name, out var existing))
                {
                    foreach (var (key, value) in literals)
                    {
                        existing[key] = value;
                    }
                }
                else
                {
                    result.ConfigMaps[name] = literals;
                }
            }
        }

        result.Images.AddRange(Child(kustomization, "images") is YamlSequenceNode images
            ? images.Children.OfType<YamlMappingNode>().Select(i => new ImageOverride(Path.Combine(directory, "kustomization.yaml"), i))
            : []);
        return result;
    }

    public static string? NameOf(YamlMappingNode document) =>
        Child(document, "metadata") is YamlMappingNode metadata ? Scalar(metadata, "name") : null;

    /// <summary>A YAML document and the file it came from.</summary>
    public sealed record Placed(string File, YamlMappingNode Document);

    /// <summary>An <c>images:</c> entry of a kustomization.</summary>
    public sealed record ImageOverride(string File, YamlMappingNode Entry)
    {
        public string Name => Scalar(Entry, "name")!;

        public string? NewTag => Scalar(Entry, "newTag");

        public string? Digest => Scalar(Entry, "digest");
    }

    /// <summary>Resources, patches, generated ConfigMap literals and image overrides of a kustomization.</summary>
    public sealed class Assembled
    {
        public List<Placed> Resources { get; } = [];

        public List<Placed> Patches { get; } = [];

        public Dictionary<string, Dictionary<string, string>> ConfigMaps { get; } = [];

        public List<ImageOverride> Images { get; } = [];

        public IEnumerable<Placed> All => Resources.Concat(Patches);

        public IEnumerable<Placed> Deployments => Resources.Where(r => Scalar(r.Document, "kind") == "Deployment");

        public void Add(Assembled other)
        {
            Resources.AddRange(other.Resources);
            Patches.AddRange(other.Patches);
            Images.AddRange(other.Images);
            foreach (var (name, literals) in other.ConfigMaps)
            {
                ConfigMaps[name] = new Dictionary<string, string>(literals);
            }
        }
    }
}
