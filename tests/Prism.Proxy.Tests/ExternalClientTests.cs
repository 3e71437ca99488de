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

    [Fact]
    public async Task NodeClient_PublishesAndConsumesInAGroupOfTwo_EachMessageOnce()
    {
        var server = fixture.Server;
        var ns = await server.CreateNamespaceAsync(accessGroups: ["node-apps"], patterns: ["queue"]);
        var token = server.TokenFor("node@example.com", "node-apps");

        var result = await NodeClient.RunQueueAsync("group", $"127.0.0.1:{server.App.BaseAddress.Port}", ns, token, "node-queue", "12");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        var published = root.GetProperty("published").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(12, published.Distinct().Count());
        Assert.Equal(published[0], root.GetProperty("duplicate").GetString());
        var members = root.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.NotEqual(members[0].GetProperty("consumer_id").GetString(), members[1].GetProperty("consumer_id").GetString());
        Assert.All(members, m => Assert.Equal(2, m.GetProperty("max_in_flight").GetInt32()));
        Assert.All(members, m => Assert.NotEqual(0, m.GetProperty("received").GetArrayLength()));
        var received = members.SelectMany(m => m.GetProperty("received").EnumerateArray()).ToList();
        Assert.Equal(published.Order(), received.Select(r => r.GetProperty("message_id").GetString()!).Order());
        Assert.All(received, r =>
        {
            Assert.Equal(1, r.GetProperty("attempt").GetInt32());
            Assert.Equal("node", r.GetProperty("from").GetString());
            Assert.Equal("user:node@example.com", r.GetProperty("publisher").GetString());
        });
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"node-{i}").Order(), received.Select(r => r.GetProperty("payload").GetString()!).Order());
    }
}
