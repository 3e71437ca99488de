using Prism.Testing;

namespace Prism.Template.Tests;

/// <summary>
/// The generated project stands alone (no central package management), so its versions are written into
/// it: they must stay the ones Prism pins and is tested with.
/// </summary>
public class TemplatePinTests
{
    [Fact]
    public void EveryPackageOfTheTemplate_HasTheVersionDirectoryPackagesPropsPins()
    {
        var pins = TemplateSources.CentralPins();
        var references = TemplateSources.TemplateReferences().Where(r => r.Key != "Prism.Client").ToList();

        Assert.NotEmpty(references);
        foreach (var (package, version) in references)
        {
            Assert.True(pins.TryGetValue(package, out var pinned), $"{package} is referenced by the template but not pinned in Directory.Packages.props");
            Assert.True(pinned == version, $"{package}: the template says {version}, Directory.Packages.props pins {pinned}");
        }
    }

    [Fact]
    public void PrismClient_IsReferencedAtTheRepositoryVersion()
    {
        Assert.Equal(TemplateSources.RepositoryVersion, TemplateSources.TemplateReferences()["Prism.Client"]);
    }

    [Fact]
    public void Dockerfile_UsesPrismsOwnPinnedBaseImages()
    {
        var prism = TemplateSources.DockerfileImages(Path.Combine(RepositoryRoot.Path, "Dockerfile"));
        var template = TemplateSources.DockerfileImages(Path.Combine(TemplateSources.ContentRoot, "Dockerfile"));

        Assert.Equal(2, prism.Count);
        Assert.Equal(prism, template);
        Assert.All(template, image => Assert.Contains("@sha256:", image, StringComparison.Ordinal));
    }
}
