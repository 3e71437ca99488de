using System.Text.RegularExpressions;
using Prism.Testing;
using YamlDotNet.RepresentationModel;

namespace Prism.Host.Tests;

/// <summary>
/// Every container image under deploy/ and in the Dockerfile is pinned by digest and never `latest`.
/// The one exception is Prism's own image, `prism`: a placeholder in the manifests that each
/// kustomization using it sets by `images:` to a digest or to the explicit version being built.
/// </summary>
public partial class DeployImagePinningTests
{
    /// <summary>The placeholder name of Prism's own image in the Kustomize manifests.</summary>
    internal const string PrismImage = "prism";

    /// <summary>"file: image" for every image a compose file, Kustomize manifest or the Dockerfile names.</summary>
    public static TheoryData<string> Images() => [.. ImageLines()];

    private static IEnumerable<string> ImageLines()
    {
        foreach (var file in DeployTree.YamlFiles())
        {
            foreach (var image in DeployTree.Documents(file).SelectMany(DeployTree.Mappings)
                .Select(m => DeployTree.Child(m, "image")).OfType<YamlScalarNode>().Select(s => s.Value!).Distinct())
            {
                if (image != PrismImage)
                {
                    yield return $"{DeployTree.Relative(file)}: {image}";
                }
            }
        }

        foreach (var image in DockerfileBaseImages())
        {
            yield return $"Dockerfile: {image}";
        }
    }

    /// <summary>"file: name" for every `images:` entry of a kustomization.</summary>
    public static TheoryData<string> KustomizeImageOverrides()
    {
        var data = new TheoryData<string>();
        foreach (var directory in DeployTree.KustomizationDirectories())
        {
            foreach (var image in DeployTree.Assemble(directory).Images.Where(i => i.File == Path.Combine(directory, "kustomization.yaml")))
            {
                data.Add($"{DeployTree.Relative(image.File)}: {image.Name}");
            }
        }

        return data;
    }

    [Fact]
    public void DeployFolder_HasComposeKustomizeAndDockerfileImages()
    {
        var images = ImageLines().ToList();
        Assert.Contains(images, i => i.StartsWith("deploy/compose/", StringComparison.Ordinal));
        Assert.Contains(images, i => i.StartsWith("deploy/kustomize/", StringComparison.Ordinal));
        Assert.Equal(2, images.Count(i => i.StartsWith("Dockerfile: ", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Image_IsPinnedByDigest_AndNotLatest(string line)
    {
        var image = line.Split(": ", 2)[1];
        Assert.True(PinnedImage().IsMatch(image), $"{line}: not pinned as name:tag@sha256:<64 hex>, or tagged latest");
    }

    [Theory]
    [MemberData(nameof(KustomizeImageOverrides))]
    public void KustomizeImageOverride_SetsADigestOrTheVersionBeingBuilt(string line)
    {
        var file = Path.Combine(RepositoryRoot.Path, line.Split(": ", 2)[0]);
        var name = line.Split(": ", 2)[1];
        var image = DeployTree.Assemble(Path.GetDirectoryName(file)!).Images.First(i => i.File == file && i.Name == name);

        Assert.Equal(PrismImage, image.Name);
        if (image.Digest is { } digest)
        {
            Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        }
        else
        {
            Assert.True(image.NewTag == ProductVersion(), $"{line}: newTag '{image.NewTag}' is neither a digest nor the Version of Directory.Build.props ({ProductVersion()})");
        }
    }

    [Fact]
    public void EveryKustomizationUsingThePrismPlaceholder_SetsItByImages()
    {
        foreach (var directory in DeployTree.KustomizationDirectories())
        {
            var kustomization = DeployTree.Kustomization(directory);
            var ownFiles = DeployTree.Strings(kustomization, "resources").Select(r => Path.Combine(directory, r)).Where(File.Exists);
            var usesPlaceholder = ownFiles.SelectMany(DeployTree.Documents).SelectMany(DeployTree.Mappings)
                .Any(m => DeployTree.Scalar(m, "image") == PrismImage);
            var sets = DeployTree.Child(kustomization, "images") is YamlSequenceNode images
                && images.Children.OfType<YamlMappingNode>().Any(i => DeployTree.Scalar(i, "name") == PrismImage);

            Assert.True(!usesPlaceholder || sets, $"{DeployTree.Relative(directory)}: its manifests use image '{PrismImage}' but its kustomization.yaml has no images: entry for it");
        }
    }

    [Fact]
    public void Checker_RejectsUnpinnedAndLatestImages()
    {
        Assert.DoesNotMatch(PinnedImage(), "redis:7-alpine");
        Assert.DoesNotMatch(PinnedImage(), "redis:latest@sha256:" + new string('a', 64));
        Assert.DoesNotMatch(PinnedImage(), "redis@sha256:" + new string('a', 63));
        Assert.Matches(PinnedImage(), "ghcr.io/dexidp/dex:v2.41.1@sha256:" + new string('a', 64));
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0"], DockerfileBaseImages("FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build\nFROM build\n"));
    }

    private static IReadOnlyList<string> DockerfileBaseImages() =>
        DockerfileBaseImages(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Dockerfile")));

    /// <summary>Images of FROM lines, leaving out references to earlier stages.</summary>
    private static IReadOnlyList<string> DockerfileBaseImages(string dockerfile)
    {
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        foreach (Match match in FromLine().Matches(dockerfile))
        {
            var image = match.Groups["image"].Value;
            if (!stages.Contains(image))
            {
                images.Add(image);
            }

            if (match.Groups["stage"].Success)
            {
                stages.Add(match.Groups["stage"].Value);
            }
        }

        return images;
    }

    private static string ProductVersion() =>
        VersionProperty().Match(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Directory.Build.props"))).Groups[1].Value;

    [GeneratedRegex(@"^[a-z0-9./_-]+:(?!latest@)[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex(@"^FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<stage>\S+))?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"<Version>([^<]+)</Version>")]
    private static partial Regex VersionProperty();
}
