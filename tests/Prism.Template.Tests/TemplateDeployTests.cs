using System.Text.Json;
using System.Text.RegularExpressions;
using Prism.Testing;
using YamlDotNet.RepresentationModel;

namespace Prism.Template.Tests;

/// <summary>
/// The generated Dockerfile and Kustomize manifests follow deploy/'s conventions and agree with the service:
/// probes on its /readyz and /healthz, ports as appsettings.json says, the hardening of Prism's own pods, and
/// only documented PRISM_* variables.
/// </summary>
public partial class TemplateDeployTests
{
    private static readonly string Kustomize = Path.Combine(TemplateSources.ContentRoot, "deploy", "kustomize");

    [Fact]
    public void Deployment_ProbesPortsAndHardening_MatchTheServiceAndPrismsPods()
    {
        var (http, metrics) = Ports();
        var deployment = Documents(Path.Combine(Kustomize, "base", "deployment.yaml")).Single(d => Scalar(d, "kind") == "Deployment");
        var pod = Map(Map(Map(deployment, "spec"), "template"), "spec");
        var container = Assert.Single(Sequence(pod, "containers").Cast<YamlMappingNode>());

        Assert.Equal("false", Scalar(pod, "automountServiceAccountToken"));
        var podSecurity = Map(pod, "securityContext");
        Assert.Equal(("true", "1654", "RuntimeDefault"), (Scalar(podSecurity, "runAsNonRoot"), Scalar(podSecurity, "runAsUser"), Scalar(Map(podSecurity, "seccompProfile"), "type")));
        var security = Map(container, "securityContext");
        Assert.Equal(("false", "true"), (Scalar(security, "allowPrivilegeEscalation"), Scalar(security, "readOnlyRootFilesystem")));
        Assert.Equal(["ALL"], Sequence(Map(security, "capabilities"), "drop").Select(n => ((YamlScalarNode)n).Value));
        Assert.NotNull(Map(Map(container, "resources"), "limits"));

        Assert.Equal([http.ToString(), metrics.ToString()], Sequence(container, "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "containerPort")));
        Assert.Equal(metrics.ToString(), Scalar(Map(Map(Map(deployment, "spec"), "template"), "metadata", "annotations"), "prometheus.io/port"));
        foreach (var (probe, path) in new[] { ("startupProbe", "/readyz"), ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz") })
        {
            var get = Map(Map(container, probe), "httpGet");
            Assert.Equal((path, http.ToString()), (Scalar(get, "path"), Scalar(get, "port")));
        }

        var expose = File.ReadAllLines(Path.Combine(TemplateSources.ContentRoot, "Dockerfile")).Single(l => l.StartsWith("EXPOSE ", StringComparison.Ordinal));
        Assert.Equal($"EXPOSE {http} {metrics}", expose);
    }

    [Fact]
    public void DevOverlay_BuildsOnBase()
    {
        var kustomization = Documents(Path.Combine(Kustomize, "overlays", "dev", "kustomization.yaml")).Single();
        Assert.Contains("../../base", Sequence(kustomization, "resources").Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void EveryPrismVariableTheTemplateMentions_IsDocumented()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"));
        var undocumented = Directory.EnumerateFiles(TemplateSources.ContentRoot, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.template.config{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => PrismVariable().Matches(File.ReadAllText(f)).Select(m => m.Value))
            .Distinct()
            .Where(v => !docs.Contains($"`{v}`", StringComparison.Ordinal))
            .ToList();
        Assert.True(undocumented.Count == 0, "Not in docs/configuration.md: " + string.Join(", ", undocumented));
    }

    private static (int Http, int Metrics) Ports()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(TemplateSources.ContentRoot, "appsettings.json")));
        var service = settings.RootElement.GetProperty("Service");
        return (service.GetProperty("Port").GetInt32(), service.GetProperty("MetricsPort").GetInt32());
    }

    private static List<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode Map(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => (YamlMappingNode)current.Children[new YamlScalarNode(key)]);

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node.Children[new YamlScalarNode(key)];

    private static string? Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value;

    [GeneratedRegex(@"\bPRISM_[A-Z0-9_]+\b")]
    private static partial Regex PrismVariable();
}
