using System.Diagnostics;
using System.Text.Json;
using Prism.Testing;

namespace Prism.Cli.Tests;

/// <summary>
/// prismctl's data commands (kv, pubsub, queue publish|consume|ack) against the real identity
/// provider, admin and proxy, logged in as the local developer.
/// </summary>
[Collection(PrismServersCollection.Name)]
public sealed class DataCommandTests(PrismServers servers) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Prismctl _cli = WithProxy(new Prismctl(servers), servers);
    private readonly TempDirectory _files = new("prismctl-data");

    [Fact]
    public async Task KvSetFromAFile_ThenGet_WritesTheSameBytes_AllByteValues()
    {
        var ns = await CreateNamespaceAsync("keyvalue");
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 256).Select(i => (byte)(255 - i))).ToArray();
        var file = Path.Combine(_files.Path, "all-bytes.bin");
        await File.WriteAllBytesAsync(file, bytes);

        var set = await _cli.RunAsync("kv", "set", "blob", "--file", file, "-n", ns);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("512 bytes", set.StandardOutput, StringComparison.Ordinal);

        var (code, stdout, stderr) = await RunBinaryAsync("kv", "get", "blob", "-n", ns);
        Assert.True(code == 0, stderr);
        Assert.Equal(bytes, stdout);

        var json = await _cli.RunAsync("kv", "get", "blob", "-n", ns, "-o", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.Equal("base64", document.RootElement.GetProperty("encoding").GetString());
        Assert.Equal(bytes, Convert.FromBase64String(document.RootElement.GetProperty("value").GetString()!));
    }

    [Fact]
    public async Task KvSetFromStdin_WithTheNamespaceFromTheEnvironment_AndTheKeyLifecycle()
    {
        var ns = await CreateNamespaceAsync("keyvalue");
        _cli.Environment["PRISM_NAMESPACE"] = ns;

        var set = await _cli.RunWithInputAsync("héllo\nworld", "kv", "set", "greeting", "-");
        Assert.True(set.ExitCode == 0, set.ToString());
        var json = await _cli.RunAsync("kv", "get", "greeting", "-o", "json");
        using (var document = JsonDocument.Parse(json.StandardOutput))
        {
            Assert.Equal(("héllo\nworld", "utf8"), (document.RootElement.GetProperty("value").GetString(), document.RootElement.GetProperty("encoding").GetString()));
        }

        var exists = await _cli.RunAsync("kv", "exists", "greeting");
        Assert.Equal((0, "true"), (exists.ExitCode, exists.StandardOutput.Trim()));
        Assert.Equal("none", (await _cli.RunAsync("kv", "ttl", "greeting")).StandardOutput.Trim());

        var expire = await _cli.RunAsync("kv", "expire", "greeting", "10m");
        Assert.True(expire.ExitCode == 0, expire.ToString());
        var ttl = long.Parse((await _cli.RunAsync("kv", "ttl", "greeting")).StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, 600);

        Assert.Equal(0, (await _cli.RunAsync("kv", "delete", "greeting")).ExitCode);
        var gone = await _cli.RunAsync("kv", "exists", "greeting");
        Assert.Equal((5, "false"), (gone.ExitCode, gone.StandardOutput.Trim()));
        var get = await _cli.RunAsync("kv", "get", "greeting");
        Assert.Equal(5, get.ExitCode);
        Assert.Contains($"prismctl: not found: key 'greeting' in namespace {ns}", get.StandardError, StringComparison.Ordinal);
        Assert.Equal(5, (await _cli.RunAsync("kv", "ttl", "greeting")).ExitCode);
        Assert.Equal(5, (await _cli.RunAsync("kv", "expire", "greeting", "1m")).ExitCode);
    }

    [Fact]
    public async Task ExitCodes_UnknownNamespace5_BadToken3_NoNamespace2_NoProxy2()
    {
        var unknown = await _cli.RunAsync("kv", "get", "k", "-n", "no-such-namespace");
        Assert.True(unknown.ExitCode == 5, unknown.ToString());
        Assert.Contains("prismctl: not found:", unknown.StandardError, StringComparison.Ordinal);

        var noNamespace = await _cli.RunAsync("kv", "get", "k");
        Assert.Equal(2, noNamespace.ExitCode);
        Assert.Contains("PRISM_NAMESPACE", noNamespace.StandardError, StringComparison.Ordinal);

        var ns = await CreateNamespaceAsync("keyvalue");
        _cli.Environment["PRISM_TOKEN"] = "not-a-jwt";
        var unauthenticated = await _cli.RunAsync("kv", "set", "k", "v", "-n", ns);
        Assert.True(unauthenticated.ExitCode == 3, unauthenticated.ToString());
        Assert.Contains("prismctl: unauthenticated:", unauthenticated.StandardError, StringComparison.Ordinal);
        _cli.Environment["PRISM_TOKEN"] = null;

        _cli.Environment["PRISM_PROXY_ENDPOINT"] = null;
        var noProxy = await _cli.RunAsync("kv", "get", "k", "-n", ns);
        Assert.Equal(2, noProxy.ExitCode);
        Assert.Contains("PRISM_PROXY_ENDPOINT", noProxy.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PubSubSubscribe_ReceivesWhatPublishSends()
    {
        var ns = await CreateNamespaceAsync("pubsub");
        using var subscriber = LiveProcess.Start(_cli.Environment, "pubsub", "subscribe", "news", "-n", ns, "--count", "2", "-o", "json");
        await subscriber.StderrLineAsync(line => line.StartsWith("Subscribed to topic news", StringComparison.Ordinal), Patience);

        var text = await _cli.RunAsync("pubsub", "publish", "news", "hello subscribers", "-n", ns, "--metadata", "kind=greeting");
        Assert.True(text.ExitCode == 0, text.ToString());
        var file = Path.Combine(_files.Path, "binary.bin");
        await File.WriteAllBytesAsync(file, [0, 255, 10, 13, 128]);
        Assert.Equal(0, (await _cli.RunAsync("pubsub", "publish", "news", "--file", file, "-n", ns)).ExitCode);

        using var first = JsonDocument.Parse(await subscriber.StdoutLineAsync(_ => true, Patience));
        using var second = JsonDocument.Parse(await subscriber.StdoutLineAsync(_ => true, Patience));
        Assert.Equal(0, await subscriber.ExitCodeAsync(Patience));
        Assert.Equal("hello subscribers", first.RootElement.GetProperty("payload").GetString());
        Assert.Equal("greeting", first.RootElement.GetProperty("metadata").GetProperty("kind").GetString());
        Assert.Equal("base64", second.RootElement.GetProperty("encoding").GetString());
        Assert.Equal(new byte[] { 0, 255, 10, 13, 128 }, Convert.FromBase64String(second.RootElement.GetProperty("payload").GetString()!));
    }

    [Fact]
    public async Task QueuePublish_ConsumeWithAck_AndAckOfAMessageAnEndedConsumerHeld()
    {
        var ns = await CreateNamespaceAsync("queue");
        var published = await _cli.RunAsync("queue", "publish", "orders", "order-1", "-n", ns, "-o", "json");
        Assert.True(published.ExitCode == 0, published.ToString());
        using var publishedJson = JsonDocument.Parse(published.StandardOutput);
        var id = publishedJson.RootElement.GetProperty("message_id").GetString()!;

        // Consume without acking, with a short visibility timeout: the message comes back for 'queue ack'.
        var consumed = await _cli.RunAsync("queue", "consume", "orders", "-n", ns, "--group", "billing", "--count", "1", "--visibility-timeout", "1s");
        Assert.True(consumed.ExitCode == 0, consumed.ToString());
        Assert.Equal($"{id}\t1\torder-1", consumed.StandardOutput.Trim());

        var ack = await _cli.RunAsync("queue", "ack", "orders", id, "-n", ns, "--group", "billing", "--wait", "30s");
        Assert.True(ack.ExitCode == 0, ack.ToString());
        Assert.Contains($"Acknowledged message {id}", ack.StandardOutput, StringComparison.Ordinal);

        // Another group gets the same message; --ack settles it there.
        var other = await _cli.RunAsync("queue", "consume", "orders", "-n", ns, "--group", "audit", "--count", "1", "--ack", "-o", "json");
        Assert.True(other.ExitCode == 0, other.ToString());
        using var otherJson = JsonDocument.Parse(other.StandardOutput);
        Assert.Equal((id, true), (otherJson.RootElement.GetProperty("message_id").GetString(), otherJson.RootElement.GetProperty("acked").GetBoolean()));

        // Nothing left for billing: ack of the settled message waits and reports it missing.
        var again = await _cli.RunAsync("queue", "ack", "orders", id, "-n", ns, "--group", "billing", "--wait", "2s");
        Assert.Equal(5, again.ExitCode);
    }

    public void Dispose()
    {
        _cli.Dispose();
        _files.Dispose();
    }

    private static Prismctl WithProxy(Prismctl cli, PrismServers servers)
    {
        cli.Environment["PRISM_PROXY_ENDPOINT"] = servers.ProxyEndpoint;
        return cli;
    }

    private async Task<string> CreateNamespaceAsync(string pattern)
    {
        var name = "data-" + Guid.NewGuid().ToString("N")[..10];
        var created = await _cli.RunAsync("namespace", "create", name, "--pattern", pattern);
        Assert.True(created.ExitCode == 0, created.ToString());
        return name;
    }

    private async Task<(int Code, byte[] Stdout, string Stderr)> RunBinaryAsync(params string[] arguments)
    {
        using var process = Process.Start(CliRunner.StartInfo(Prismctl.Assembly, arguments, _cli.Environment))!;
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(cancel.Token);
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
