using Prism.Client;

namespace Prism.Cli.Tests;

/// <summary>Prism.Client's local-dev login against the embedded identity provider, calling the real proxy.</summary>
[Collection(PrismServersCollection.Name)]
public sealed class ClientLocalDevTests(PrismServers servers)
{
    [Fact]
    public async Task LocalDevLogin_FromTheEnvironment_CallsTheProxyAsTheDeveloper()
    {
        using var cli = new Prismctl(servers);
        var ns = "client-dev-" + Guid.NewGuid().ToString("N")[..8];
        var created = await cli.RunAsync("namespace", "create", ns, "--pattern", "keyvalue");
        Assert.True(created.ExitCode == 0, created.ToString());
        var environment = new Dictionary<string, string?>
        {
            ["PRISM_PROXY_ENDPOINT"] = servers.ProxyEndpoint,
            ["PRISM_NAMESPACE"] = ns,
            ["PRISM_OIDC_ISSUER"] = servers.Issuer,
            ["PRISM_LOCAL_DEV"] = "true",
        };
        var options = new PrismClientOptions();
        PrismClientEnvironment.Apply(options, name => environment.GetValueOrDefault(name));
        using var connection = new PrismConnection(options);
        var kv = new PrismKeyValueClient(connection);

        await kv.SetAsync("dev-key", "from the library"u8.ToArray());

        var read = await cli.RunAsync("kv", "get", "dev-key", "-n", ns, "--proxy-endpoint", servers.ProxyEndpoint);
        Assert.Equal((0, "from the library"), (read.ExitCode, read.StandardOutput));
    }

    [Fact]
    public async Task AWrongDeveloperPassword_FailsNamingTheLogin_NotThePassword()
    {
        using var connection = new PrismConnection(new PrismClientOptions
        {
            Endpoint = new Uri(servers.ProxyEndpoint),
            Namespace = "any",
            Issuer = new Uri(servers.Issuer),
            LocalDev = true,
            LocalDevPassword = "not-the-password",
        });

        var error = await Assert.ThrowsAsync<PrismClientException>(() => new PrismKeyValueClient(connection).GetAsync("k"));

        Assert.Contains("local-dev login as dev@local.prism failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }
}
