using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Prism.Testing;
using YamlDotNet.RepresentationModel;

namespace Prism.Host.Tests;

/// <summary>
/// The Kustomize tree and compose files cannot drift from the code: paths exist, overlays build on the
/// base, every PRISM_* variable they set is a documented server setting, prod-reference carries no
/// development fixture, and probes target ports the modules listen on.
/// </summary>
public partial class DeployKustomizeTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"));
    private static readonly string Overlays = Path.Combine(DeployTree.KustomizeRoot, "overlays");
    private static readonly string ProdReference = Path.Combine(Overlays, "prod-reference");

    public static TheoryData<string> Kustomizations() => [.. DeployTree.KustomizationDirectories().Select(DeployTree.Relative)];

    [Fact]
    public void Tree_HasBaseDevAndProdReference()
    {
        var directories = DeployTree.KustomizationDirectories().Select(DeployTree.Relative).ToList();
        Assert.Contains("deploy/kustomize/base", directories);
        Assert.Contains("deploy/kustomize/overlays/dev", directories);
        Assert.Contains("deploy/kustomize/overlays/prod-reference", directories);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void EveryPathAKustomizationLists_Exists(string directory)
    {
        var root = Path.Combine(RepositoryRoot.Path, directory);
        foreach (var path in DeployTree.ReferencedPaths(DeployTree.Kustomization(root)))
        {
            var full = Path.GetFullPath(Path.Combine(root, path));
            Assert.True(File.Exists(full) || File.Exists(Path.Combine(full, "kustomization.yaml")),
                $"{directory}/kustomization.yaml lists '{path}', which is neither a file nor a folder with a kustomization.yaml");
        }
    }

    [Fact]
    public void EveryOverlay_BuildsOnBase()
    {
        var overlays = Directory.EnumerateDirectories(Overlays).ToList();
        Assert.NotEmpty(overlays);
        foreach (var overlay in overlays)
        {
            var resources = DeployTree.Strings(DeployTree.Kustomization(overlay), "resources");
            Assert.True(resources.Contains("../../base"), $"{DeployTree.Relative(overlay)} does not list ../../base in resources");
        }
    }

    [Fact]
    public void EveryPrismVariableSetInDeploy_IsADocumentedServerSetting()
    {
        var settings = ModuleCatalog.AllSettings.Select(s => s.EnvironmentVariable).ToHashSet();
        var set = SetVariables().ToList();
        Assert.Contains(set, s => s.Variable == "PRISM_ENV");
        var wrong = set.Where(s => s.Variable.StartsWith("PRISM_", StringComparison.Ordinal))
            .Where(s => !settings.Contains(s.Variable) || !Docs.Contains($"`{s.Variable}`", StringComparison.Ordinal))
            .Select(s => $"{s.File}: {s.Variable}")
            .Distinct()
            .ToList();
        Assert.True(wrong.Count == 0, "Set in deploy/ but not a server setting of docs/configuration.md: " + string.Join(", ", wrong));
    }

    [Fact]
    public void EveryPrismVariableMentionedInDeploy_IsDocumented()
    {
        var files = DeployTree.YamlFiles().Append(Path.Combine(RepositoryRoot.Path, "Dockerfile"));
        var undocumented = files
            .SelectMany(f => PrismVariable().Matches(File.ReadAllText(f)).Select(m => $"{DeployTree.Relative(f)}: {m.Value}"))
            .Where(m => !Docs.Contains($"`{m.Split(": ")[1]}`", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.True(undocumented.Count == 0, "Not in docs/configuration.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void ProdReference_RunsInProductionWithTls()
    {
        var config = ProdConfig();
        Assert.Equal("production", config.GetValueOrDefault("PRISM_ENV"));
        Assert.False(string.IsNullOrEmpty(config.GetValueOrDefault("PRISM_TLS_CERT_FILE")), "prod-reference sets no PRISM_TLS_CERT_FILE");
        Assert.False(string.IsNullOrEmpty(config.GetValueOrDefault("PRISM_TLS_KEY_FILE")), "prod-reference sets no PRISM_TLS_KEY_FILE");
        Assert.False(string.IsNullOrEmpty(config.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT")), "prod-reference exports to no collector");
    }

    [Fact]
    public void ProdReference_IssuerIsHttpsOrLoopback()
    {
        var issuer = new Uri(ProdConfig()["PRISM_OIDC_ISSUER"]);
        Assert.True(issuer.Scheme == Uri.UriSchemeHttps || issuer.IsLoopback, $"prod-reference issuer {issuer} is plain http on a non-loopback host");
    }

    [Fact]
    public void ProdReference_HasNoDevelopmentFixture()
    {
        var assembled = DeployTree.Assemble(ProdReference);
        var modules = assembled.Deployments.SelectMany(d => ContainersOf(d.Document)).SelectMany(Modules).ToList();
        Assert.Contains("admin", modules);
        Assert.Contains("proxy", modules);
        Assert.DoesNotContain("identity", modules); // static passwords, signing key on disk
        Assert.DoesNotContain("telemetry", modules); // unauthenticated viewer

        var config = ProdConfig();
        Assert.NotEqual("true", config.GetValueOrDefault("PRISM_AUTH_DISABLED"));
        var env = assembled.All.SelectMany(p => EnvironmentOf(p.Document)).ToList();
        Assert.DoesNotContain(env, e => e.Name == "PRISM_AUTH_DISABLED" && e.Value == "true");
        Assert.DoesNotContain(env, e => e.Name.StartsWith("PRISM_IDENTITY_", StringComparison.Ordinal));
        Assert.DoesNotContain("PRISM_IDENTITY_CONFIG", config.Keys);
        // The admin's page-token key comes from a Secret, never the built-in development key.
        Assert.Contains(env, e => e.Name == "PRISM_ADMIN_CURSOR_KEY" && e.FromSecret);

        var text = string.Concat(assembled.All.Select(p => p.File).Distinct().Select(File.ReadAllText));
        foreach (var fixture in new[] { "staticPasswords", "devpass", "POSTGRES_HOST_AUTH_METHOD", "dev-backends" })
        {
            Assert.DoesNotContain(fixture, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("dev-backends", string.Join(",", DeployTree.Strings(DeployTree.Kustomization(ProdReference), "components")), StringComparison.Ordinal);
    }

    [Fact]
    public void ProdReference_ScalesProxiesOut_WithADisruptionBudget()
    {
        var assembled = DeployTree.Assemble(ProdReference);
        var proxyReplicas = assembled.All
            .Where(p => DeployTree.Scalar(p.Document, "kind") == "Deployment" && DeployTree.NameOf(p.Document) == "prism-proxy")
            .Select(p => DeployTree.Child(p.Document, "spec") as YamlMappingNode)
            .Select(s => s is null ? null : DeployTree.Scalar(s, "replicas"))
            .OfType<string>()
            .Select(int.Parse)
            .Last();
        Assert.True(proxyReplicas > 1, "prod-reference runs a single proxy");
        Assert.Contains(assembled.Resources, r => DeployTree.Scalar(r.Document, "kind") == "PodDisruptionBudget");
    }

    [Fact]
    public void Base_RunsInProduction_WithSeveralStatelessProxies()
    {
        var assembled = DeployTree.Assemble(Path.Combine(DeployTree.KustomizeRoot, "base"));
        Assert.Equal("production", assembled.ConfigMaps["prism-config"]["PRISM_ENV"]);
        var proxy = assembled.Deployments.Single(d => DeployTree.NameOf(d.Document) == "prism-proxy").Document;
        Assert.True(int.Parse(DeployTree.Scalar((YamlMappingNode)DeployTree.Child(proxy, "spec")!, "replicas")!) > 1);
        // Stateless: shared state in the PostgreSQL control store, nothing persistent in the pod.
        Assert.Contains(EnvironmentOf(proxy), e => e.Name == "PRISM_DATABASE_URL" && e.FromSecret);
        Assert.DoesNotContain("persistentVolumeClaim", File.ReadAllText(assembled.Deployments.First(d => DeployTree.NameOf(d.Document) == "prism-proxy").File), StringComparison.Ordinal);
    }

    [Fact]
    public void Dev_RunsEmbeddedIdentityAndTelemetry_InOneReplica_NotInProduction()
    {
        var assembled = DeployTree.Assemble(Path.Combine(Overlays, "dev"));
        Assert.NotEqual("production", assembled.ConfigMaps["prism-config"].GetValueOrDefault("PRISM_ENV", "dev"));
        var deployment = Assert.Single(assembled.Deployments);
        Assert.Equal("1", DeployTree.Scalar((YamlMappingNode)DeployTree.Child(deployment.Document, "spec")!, "replicas"));
        var modules = ContainersOf(deployment.Document).SelectMany(Modules).ToList();
        Assert.Equal(["telemetry", "identity", "admin", "proxy", "console"], modules);
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void Probes_TargetPortsTheModulesListenOn(string directory)
    {
        var assembled = DeployTree.Assemble(Path.Combine(RepositoryRoot.Path, directory));
        foreach (var deployment in assembled.Deployments)
        {
            foreach (var container in ContainersOf(deployment.Document).Where(c => Modules(c).Any()))
            {
                var ports = Modules(container).SelectMany(ListeningPorts).Append(DefaultPort("PRISM_METRICS_PORT")).ToHashSet();
                var probes = Probes(container).ToList();
                Assert.True(probes.Count >= 2, $"{DeployTree.Relative(deployment.File)}: {DeployTree.NameOf(deployment.Document)} has no readiness and liveness probes");
                foreach (var (kind, probe, port) in probes)
                {
                    Assert.True(ports.Contains(port),
                        $"{DeployTree.Relative(deployment.File)}: {kind} {probe} probe on port {port}; modules {string.Join(",", Modules(container))} listen on {string.Join(", ", ports.Order())}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public void GrpcProbes_OnlyWhereListenersArePlaintext(string directory)
    {
        // The kubelet's native gRPC probe connects without TLS (KEP-2727): against a TLS listener it fails.
        var assembled = DeployTree.Assemble(Path.Combine(RepositoryRoot.Path, directory));
        var tls = assembled.ConfigMaps.Values.Any(c => c.ContainsKey("PRISM_TLS_CERT_FILE"));
        foreach (var deployment in assembled.Deployments)
        {
            foreach (var (kind, probe, port) in ContainersOf(deployment.Document).SelectMany(Probes))
            {
                Assert.False(tls && probe == "grpc", $"{DeployTree.Relative(deployment.File)}: {kind} gRPC probe on {port} against a TLS listener");
            }
        }
    }

    [Theory]
    [InlineData("deploy/kustomize/base")]
    [InlineData("deploy/kustomize/overlays/prod-reference")]
    public void AdminAndProxy_AreProbedOverHttps_ReadinessOnReadyz_LivenessOnHealthz(string directory)
    {
        var assembled = DeployTree.Assemble(Path.Combine(RepositoryRoot.Path, directory));
        foreach (var deployment in assembled.Deployments.Where(d => DeployTree.NameOf(d.Document) is "prism-admin" or "prism-proxy"))
        {
            var container = ContainersOf(deployment.Document).Single(c => Modules(c).Any());
            foreach (var (kind, path) in new[] { ("readinessProbe", Hosting.Modules.ProbeEndpoints.ReadinessPath), ("livenessProbe", Hosting.Modules.ProbeEndpoints.LivenessPath) })
            {
                var probe = DeployTree.Child(container, kind) as YamlMappingNode;
                var get = probe is null ? null : DeployTree.Child(probe, "httpGet") as YamlMappingNode;
                Assert.True(get is not null, $"{DeployTree.NameOf(deployment.Document)}: {kind} is not an httpGet probe");
                Assert.Equal("HTTPS", DeployTree.Scalar(get, "scheme"));
                Assert.Equal(path, DeployTree.Scalar(get, "path"));
            }
        }
    }

    [Fact]
    public void ListeningPorts_ComeFromTheModulesDefaults()
    {
        Assert.Equal([8981], ListeningPorts("admin"));
        Assert.Equal([8980], ListeningPorts("proxy"));
        Assert.Equal([3301, 4317, 4318], ListeningPorts("telemetry"));
        Assert.Equal(9090, DefaultPort("PRISM_METRICS_PORT"));
    }

    private static Dictionary<string, string> ProdConfig() => DeployTree.Assemble(ProdReference).ConfigMaps["prism-config"];

    /// <summary>Ports a module listens on with its default settings, from the module itself.</summary>
    private static IReadOnlyList<int> ListeningPorts(string module)
    {
        var definition = ModuleCatalog.Resolve([module]).Single();
        var ports = definition.ResolveListeners(new ConfigurationBuilder().Build()).Select(l => l.Port).ToList();
        // The documented default of the module's port setting is the one the code uses.
        Assert.Equal(DefaultPort(definition.PortSetting.EnvironmentVariable), ports[0]);
        return ports;
    }

    /// <summary>The default column of a variable's row in docs/configuration.md.</summary>
    private static int DefaultPort(string variable)
    {
        var row = Docs.Split('\n').First(l => l.StartsWith($"| `{variable}` |", StringComparison.Ordinal));
        return int.Parse(row.Split('|')[3].Trim().Trim('`'));
    }

    private static IEnumerable<YamlMappingNode> ContainersOf(YamlMappingNode deployment) =>
        DeployTree.Mappings(deployment)
            .Select(m => DeployTree.Child(m, "containers")).OfType<YamlSequenceNode>()
            .SelectMany(s => s.Children.OfType<YamlMappingNode>());

    /// <summary>Modules named by a container's `--modules` argument.</summary>
    private static IEnumerable<string> Modules(YamlMappingNode container)
    {
        var args = DeployTree.Strings(container, "args").ToList();
        var index = args.IndexOf("--modules");
        return index >= 0 && index + 1 < args.Count
            ? args[index + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
    }

    private static IEnumerable<(string Kind, string Probe, int Port)> Probes(YamlMappingNode container)
    {
        foreach (var kind in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            if (DeployTree.Child(container, kind) is YamlMappingNode probe)
            {
                foreach (var type in new[] { "grpc", "tcpSocket", "httpGet" })
                {
                    if (DeployTree.Child(probe, type) is YamlMappingNode target)
                    {
                        var port = DeployTree.Scalar(target, "port")!;
                        Assert.True(int.TryParse(port, out var number), $"{kind} names port '{port}': name probe ports by number");
                        yield return (kind, type, number);
                    }
                }
            }
        }
    }

    private static IEnumerable<(string Name, string? Value, bool FromSecret)> EnvironmentOf(YamlMappingNode document) =>
        DeployTree.Mappings(document)
            .Select(m => DeployTree.Child(m, "env")).OfType<YamlSequenceNode>()
            .SelectMany(s => s.Children.OfType<YamlMappingNode>())
            .Select(e => (DeployTree.Scalar(e, "name")!, DeployTree.Scalar(e, "value"),
                DeployTree.Child(e, "valueFrom") is YamlMappingNode from && DeployTree.Child(from, "secretKeyRef") is not null));

    /// <summary>Every variable a manifest or compose file sets: container env, generator literals, ConfigMap data, compose environment.</summary>
    private static IEnumerable<(string File, string Variable)> SetVariables()
    {
        foreach (var file in DeployTree.YamlFiles())
        {
            var relative = DeployTree.Relative(file);
            foreach (var document in DeployTree.Documents(file))
            {
                foreach (var (name, _, _) in EnvironmentOf(document))
                {
                    yield return (relative, name);
                }

                foreach (var mapping in DeployTree.Mappings(document))
                {
                    foreach (var literal in DeployTree.Strings(mapping, "literals"))
                    {
                        yield return (relative, literal.Split('=', 2)[0]);
                    }

                    if (DeployTree.Child(mapping, "environment") is YamlMappingNode environment)
                    {
                        foreach (var key in environment.Children.Keys.OfType<YamlScalarNode>())
                        {
                            yield return (relative, key.Value!);
                        }
                    }
                }

                if (DeployTree.Scalar(document, "kind") == "ConfigMap" && DeployTree.Child(document, "data") is YamlMappingNode data)
                {
                    foreach (var key in data.Children.Keys.OfType<YamlScalarNode>())
                    {
                        yield return (relative, key.Value!);
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"\bPRISM_[A-Z0-9_]*[A-Z0-9]\b")]
    private static partial Regex PrismVariable();
}
