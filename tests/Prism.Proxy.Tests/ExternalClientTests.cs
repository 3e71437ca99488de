using System.Text.Json;
using Prism.Proxy.Tests.Support;

namespace Prism.Proxy.Tests;

/// <summary>A client generated from the protos by another toolchain (Node.js, @grpc/proto-loader) works unchanged.</summary>
public class ExternalClientTests(ProxyServerFixture fixture) : IClassFixture<ProxyServerFixture>
{
    [Fact]
    public async Task NodeClient_SetsGetsAndSubscribes_ThroughTheProxy()
    {
        var server = fixture.Server;
        var ns = await server.CreateNamespaceAsync(accessGroups: ["node-apps"]);
        var token = server.TokenFor("node@example.com", "node-apps");

        var result = await NodeClient.RunAsync($"127.0.0.1:{server.App.BaseAddress.Port}", ns, token, "node-topic");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.True(root.GetProperty("set").GetProperty("success").GetBoolean());
        Assert.Equal("", root.GetProperty("set").GetProperty("error").GetString());
        Assert.True(root.GetProperty("get").GetProperty("found").GetBoolean());
        Assert.StartsWith("hello from node", root.GetProperty("get").GetProperty("value").GetString());
        Assert.False(root.GetProperty("missing").GetProperty("found").GetBoolean());
        var message = root.GetProperty("message");
        Assert.Equal("node-topic", message.GetProperty("topic").GetString());
        Assert.Equal("published by node", message.GetProperty("payload").GetString());
        Assert.Equal("node", message.GetProperty("metadata").GetProperty("from").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("message_id").GetString()));
    }
}
