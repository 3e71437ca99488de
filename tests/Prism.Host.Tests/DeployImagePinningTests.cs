using System.Text.RegularExpressions;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>Every container image under deploy/ is pinned by digest and never `latest`.</summary>
public partial class DeployImagePinningTests
{
    public static TheoryData<string> ImageLines()
    {
        var data = new TheoryData<string>();
        var deploy = Path.Combine(RepositoryRoot.Path, "deploy");
        foreach (var file in Directory.EnumerateFiles(deploy, "*.y*ml", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file).Where(l => ImageLine().IsMatch(l)))
            {
                data.Add($"{Path.GetRelativePath(deploy, file)}: {line.Trim()}");
            }
        }

        return data;
    }

    [Fact]
    public void DeployFolder_HasComposeImages() => Assert.NotEmpty(ImageLines());

    [Theory]
    [MemberData(nameof(ImageLines))]
    public void Image_IsPinnedByDigest_AndNotLatest(string line)
    {
        var image = ImageLine().Match(line.Split(": ", 2)[1]).Groups["image"].Value;

        Assert.Matches(PinnedImage(), image);
        Assert.DoesNotContain(":latest", image, StringComparison.Ordinal);
    }

    [Fact]
    public void Checker_RejectsUnpinnedAndLatestImages()
    {
        Assert.DoesNotMatch(PinnedImage(), "redis:7-alpine");
        Assert.DoesNotMatch(PinnedImage(), "redis:latest@sha256:" + new string('a', 64));
        Assert.DoesNotMatch(PinnedImage(), "redis@sha256:" + new string('a', 63));
        Assert.Matches(PinnedImage(), "ghcr.io/dexidp/dex:v2.41.1@sha256:" + new string('a', 64));
    }

    [GeneratedRegex(@"^\s*(-\s*)?image:\s*(?<image>\S+)")]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"^[a-z0-9./_-]+:(?!latest@)[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex PinnedImage();
}
