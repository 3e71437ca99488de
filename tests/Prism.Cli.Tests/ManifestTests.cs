using Prism.Admin.V1;
using Prism.Cli.Commands;
using Prism.Cli.Manifests;
using Prism.Manifests;

namespace Prism.Cli.Tests;

/// <summary>Manifest files to ApplyRequest, every local validation error, ${VAR} expansion and the get -o yaml round trip (no server).</summary>
public sealed class ManifestTests
{
    private const string Example = """
        kind: Backend
        name: redis-cache
        type: redis
        description: Cache
        settings: {database: "2"}
        secrets:
          url: redis://cache:${CACHE_PASSWORD}@10.0.0.5:6379
        labels: {tier: cache}
        ---
        kind: Namespace
        name: orders
        description: Orders service
        patterns:            # pattern -> slot -> backend instance
          keyvalue:
            store: redis-cache
          pubsub:
            source: nats
          queue: {}
        access_groups: [team-orders]
        quotas:
          max_value_bytes: 1048576
          max_requests_per_second: 500
        labels: {owner: ana}
        version: 3
        ---
        kind: Backend
        name: files
        type: sqlite
        settings:
          path: /var/lib/prism/kv.db
        """;

    private static readonly Dictionary<string, string?> Environment = new() { ["CACHE_PASSWORD"] = "s3cret", ["EMPTY"] = "" };

    private static ManifestReadResult Read(string text, string source = "test.yaml") =>
        ManifestReader.Read([new ManifestInput(source, text)], name => Environment.GetValueOrDefault(name));

    private static string OnlyError(string text)
    {
        var result = Read(text);
        Assert.Null(result.Manifest);
        return Assert.Single(result.Errors).ToString();
    }

    [Fact]
    public void Example_MapsToOneApplyRequest_BackendsAndNamespacesInFileOrder()
    {
        var result = Read(Example);

        Assert.Empty(result.Errors);
        var request = result.Manifest!.Request;
        var cache = new Backend { Name = "redis-cache", Type = "redis", Description = "Cache" };
        cache.Settings["database"] = "2";
        cache.Secrets["url"] = "redis://cache:s3cret@10.0.0.5:6379";
        cache.Labels["tier"] = "cache";
        var files = new Backend { Name = "files", Type = "sqlite" };
        files.Settings["path"] = "/var/lib/prism/kv.db";
        Assert.Equal([cache, files], request.Backends);

        var orders = new Namespace
        {
            Name = "orders",
            Description = "Orders service",
            Quotas = new Quotas { MaxValueBytes = 1048576, MaxRequestsPerSecond = 500 },
            Version = 3,
        };
        orders.Patterns.Add(["keyvalue", "pubsub", "queue"]);
        orders.Slots["keyvalue"] = new PatternSlots { Bindings = { ["store"] = "redis-cache" } };
        orders.Slots["pubsub"] = new PatternSlots { Bindings = { ["source"] = "nats" } };
        orders.AccessGroups.Add("team-orders");
        orders.Labels["owner"] = "ana";
        Assert.Equal(orders, Assert.Single(request.Namespaces));
        Assert.Empty(orders.Backends);
        Assert.False(request.ValidateOnly);

        Assert.Equal("test.yaml document 2", result.Manifest.Origins[("namespace", "orders")]);
        Assert.Equal("test.yaml document 3", result.Manifest.Origins[("backend", "files")]);
    }

    [Fact]
    public void EmptyDocuments_AndALeadingSeparator_AreSkipped_ButCounted()
    {
        var result = Read("---\nkind: Namespace\nname: a\n---\n---\nkind: Namespace\nname: b\nnope: 1\n");

        Assert.Equal("test.yaml: document 3 (namespace/b), line 8: field 'nope': unknown field; accepted: kind, name, description, patterns, access_groups, quotas, queue, labels, version",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void SeveralFiles_MakeOneRequest_AndDuplicatesAcrossThemAreErrors()
    {
        var result = ManifestReader.Read(
            [new ManifestInput("a.yaml", "kind: Namespace\nname: x\n"), new ManifestInput("stdin", "kind: Backend\nname: x\ntype: memstore\n---\nkind: Namespace\nname: x\n")],
            _ => null);

        Assert.Equal("stdin: document 2 (namespace/x), line 5: duplicate of a.yaml document 1; a kind and name may appear once", Assert.Single(result.Errors).ToString());
    }

    [Theory]
    [InlineData("kind: Namespace\nname: a\n  bad: indent\n", "test.yaml, line 3: YAML syntax: ")]
    [InlineData("name: a\n", "test.yaml: document 1, line 1: field 'kind': missing; accepted: Backend, Namespace")]
    [InlineData("kind: Deployment\nname: a\n", "test.yaml: document 1, line 1: field 'kind': unknown kind 'Deployment'; accepted: Backend, Namespace")]
    [InlineData("- a\n- b\n", "test.yaml: document 1, line 1: expected a mapping with kind and name")]
    [InlineData("kind: Namespace\ndescription: x\n", "test.yaml: document 1 (namespace), line 1: field 'name': missing")]
    [InlineData("kind: Namespace\nname: a\naccess_group: [x]\n", "test.yaml: document 1 (namespace/a), line 3: field 'access_group': unknown field (did you mean 'access_groups'?); accepted: kind, name, description, patterns, access_groups, quotas, queue, labels, version")]
    [InlineData("kind: Namespace\nname: a\nquotas: {max_rps: 5}\n", "test.yaml: document 1 (namespace/a), line 3: field 'quotas.max_rps': unknown field; accepted: max_value_bytes, max_requests_per_second")]
    [InlineData("kind: Namespace\nname: a\nquotas: {max_keys: 5}\n", "test.yaml: document 1 (namespace/a), line 3: field 'quotas.max_keys': was removed from the API (counting keys costs a backend round trip per write); accepted: max_value_bytes, max_requests_per_second")]
    [InlineData("kind: Namespace\nname: a\nquotas: {max_value_bytes: lots}\n", "test.yaml: document 1 (namespace/a), line 3: field 'quotas.max_value_bytes': expected an integer")]
    [InlineData("kind: Namespace\nname: a\nquotas: {max_requests_per_second: 9999999999}\n", "test.yaml: document 1 (namespace/a), line 3: field 'quotas.max_requests_per_second': must be from -2147483648 to 2147483647")]
    [InlineData("kind: Namespace\nname: a\nversion: three\n", "test.yaml: document 1 (namespace/a), line 3: field 'version': expected an integer")]
    [InlineData("kind: Namespace\nname: a\naccess_groups: team\n", "test.yaml: document 1 (namespace/a), line 3: field 'access_groups': expected a list of strings, got a scalar")]
    [InlineData("kind: Namespace\nname: a\nlabels: [x]\n", "test.yaml: document 1 (namespace/a), line 3: field 'labels': expected a mapping, got a list")]
    [InlineData("kind: Namespace\nname: a\nlabels: {owner: {x: y}}\n", "test.yaml: document 1 (namespace/a), line 3: field 'labels.owner': expected a string, got a mapping")]
    [InlineData("kind: Namespace\nname: a\npatterns: [keyvalue]\n", "test.yaml: document 1 (namespace/a), line 3: field 'patterns': expected a mapping of pattern to slots, got a list (write keyvalue: {store: redis-cache}, or keyvalue: {} for the default backend)")]
    [InlineData("kind: Namespace\nname: a\npatterns: {keyvalue: redis}\n", "test.yaml: document 1 (namespace/a), line 3: field 'patterns.keyvalue': expected a mapping, got a scalar")]
    [InlineData("kind: Namespace\nname: a\npatterns: {keyvalue: {store: ''}}\n", "test.yaml: document 1 (namespace/a), line 3: field 'patterns.keyvalue.store': expected a backend instance name")]
    [InlineData("kind: Namespace\nname: a\ncreated_by: me\n", "test.yaml: document 1 (namespace/a), line 3: field 'created_by': is output only; accepted: kind, name, description, patterns, access_groups, quotas, queue, labels, version")]
    [InlineData("kind: Namespace\nname: a\nslots: {}\n", "test.yaml: document 1 (namespace/a), line 3: field 'slots': is not a file field (slots are given under patterns: pattern: {slot: instance}); accepted: kind, name, description, patterns, access_groups, quotas, queue, labels, version")]
    [InlineData("kind: Backend\nname: b\n", "test.yaml: document 1 (backend/b), line 1: field 'type': missing; the backend type (driver), for example redis")]
    [InlineData("kind: Backend\nname: b\ntype: redis\nsecret: {url: x}\n", "test.yaml: document 1 (backend/b), line 4: field 'secret': unknown field (did you mean 'secrets'?); accepted: kind, name, type, description, settings, secrets, labels, version")]
    [InlineData("kind: Backend\nname: b\ntype: redis\nendpoint: x:1\n", "test.yaml: document 1 (backend/b), line 4: field 'endpoint': is output only; accepted: kind, name, type, description, settings, secrets, labels, version")]
    [InlineData("kind: Backend\nname: b\ntype: redis\nsecrets: {url: '${REDIS_URL}'}\n", "test.yaml: document 1 (backend/b), line 4: field 'secrets.url': environment variable REDIS_URL is not set (or is empty)")]
    [InlineData("kind: Backend\nname: b\ntype: redis\nsecrets: {url: 'x${EMPTY}'}\n", "test.yaml: document 1 (backend/b), line 4: field 'secrets.url': environment variable EMPTY is not set (or is empty)")]
    public void LocalErrors_NameTheDocumentFieldAndReason_AndNothingIsReturnedToSend(string text, string expected)
    {
        var error = OnlyError(text);

        if (expected.EndsWith(": ", StringComparison.Ordinal))
        {
            Assert.StartsWith(expected, error, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, error);
        }
    }

    [Fact]
    public void EveryErrorOfAFile_IsReported_NotJustTheFirst()
    {
        var result = Read("kind: Namespace\nname: a\nversion: x\nfoo: 1\n---\nkind: Widget\nname: w\n---\nkind: Backend\nname: b\ntype: redis\nsecrets: {url: '${NOPE}'}\n");

        Assert.Null(result.Manifest);
        Assert.Equal(
            ["document 1 (namespace/a), line 3: field 'version'", "document 1 (namespace/a), line 4: field 'foo'", "document 2, line 6: field 'kind'", "document 3 (backend/b), line 12: field 'secrets.url'"],
            result.Errors.Select(e => e.ToString()["test.yaml: ".Length..e.ToString().IndexOf("':", StringComparison.Ordinal)] + "'"));
    }

    [Fact]
    public void SecretValues_AreNeverQuoted_InErrors()
    {
        var result = Read("kind: Backend\nname: b\ntype: redis\nsecrets:\n  url: [redis://u:hunter2@h]\n  other: 'pre-${CACHE_PASSWORD}-${MISSING}'\n");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal));
        Assert.All(result.Errors, e => Assert.DoesNotContain("s3cret", e.ToString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("${CACHE_PASSWORD}", "s3cret")]
    [InlineData("redis://u:${CACHE_PASSWORD}@h:6379/${CACHE_PASSWORD}", "redis://u:s3cret@h:6379/s3cret")]
    [InlineData("$CACHE_PASSWORD and ${ CACHE_PASSWORD } and ${1X}", "$CACHE_PASSWORD and ${ CACHE_PASSWORD } and ${1X}")]
    [InlineData("''", "")]
    public void OnlyBracedVariables_InSecrets_AreExpanded(string value, string expected)
    {
        var result = Read($"kind: Backend\nname: b\ntype: redis\ndescription: '${{CACHE_PASSWORD}}'\nsettings: {{host: '${{CACHE_PASSWORD}}'}}\nsecrets:\n  url: {(value == "''" ? value : "'" + value + "'")}\n");

        var backend = Assert.Single(result.Manifest!.Request.Backends);
        Assert.Equal(expected, backend.Secrets["url"]);
        Assert.Equal("${CACHE_PASSWORD}", backend.Description);
        Assert.Equal("${CACHE_PASSWORD}", backend.Settings["host"]);
    }

    [Fact]
    public void Namespace_RoundTrips_ThroughGetYaml()
    {
        var stored = new Namespace
        {
            Name = "orders",
            Description = "Orders: the service's \"main\" store",
            Quotas = new Quotas { MaxValueBytes = 1048576, MaxRequestsPerSecond = 500 },
            Queue = new QueueSettings { VisibilityTimeoutMs = 1500, MaxRetries = 0 },
            Version = 7,
            CreatedBy = "dev@local.prism",
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
            UpdatedBy = "ops@example.com",
            UpdatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddDays(1)),
        };
        stored.Patterns.Add(["pubsub", "keyvalue", "queue"]);
        stored.Slots["keyvalue"] = new PatternSlots { Bindings = { ["store"] = "redis-cache" } };
        stored.Slots["pubsub"] = new PatternSlots { Bindings = { ["source"] = "nats" } };
        stored.Slots["queue"] = new PatternSlots { Bindings = { ["message_source"] = "nats", ["dead_letter_queue"] = "postgres" } };
        stored.Backends["keyvalue"] = "redis-cache";
        stored.Backends["pubsub"] = "nats";
        stored.AccessGroups.Add(["team-orders", "true", "123"]);
        stored.Labels["owner"] = "ana";
        stored.Labels["on-call"] = "yes";
        stored.Labels["empty"] = "";

        var yaml = ManifestWriter.Document(stored);
        var parsed = Assert.Single(Read(yaml).Manifest!.Request.Namespaces);

        var expected = stored.Clone();
        expected.Backends.Clear();
        expected.CreatedBy = expected.UpdatedBy = "";
        expected.CreatedAt = expected.UpdatedAt = null;
        Assert.Equal(expected, parsed);
        Assert.StartsWith("# created 1970-01-01T00:00:00Z by dev@local.prism; updated 1970-01-02T00:00:00Z by ops@example.com\nkind: Namespace\nname: orders\n", yaml, StringComparison.Ordinal);
        Assert.Contains("patterns:\n  pubsub:\n    source: nats\n  keyvalue:\n    store: redis-cache\n  queue:\n", yaml, StringComparison.Ordinal);
        Assert.Contains("queue:\n  visibility_timeout: 1.5s\n  max_retries: 0\n", yaml, StringComparison.Ordinal);
        Assert.EndsWith("version: 7\n", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void BareNamespace_RoundTrips_AndPatternsWithoutSlotsAreEmptyMappings()
    {
        var stored = new Namespace { Name = "bare", Quotas = new Quotas() };
        stored.Patterns.Add("keyvalue");

        var yaml = ManifestWriter.Document(stored);

        Assert.Equal("kind: Namespace\nname: bare\npatterns:\n  keyvalue: {}\n", yaml);
        Assert.Equal(stored, Assert.Single(Read(yaml).Manifest!.Request.Namespaces));
    }

    [Fact]
    public void Backend_RoundTrips_ThroughGetYaml_WithoutSecrets()
    {
        var stored = new Backend
        {
            Name = "pg-main",
            Type = "postgres",
            Endpoint = "db.internal:5432",
            Source = "api",
            Description = "Main database",
            Version = 2,
            CreatedBy = "dev@local.prism",
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        };
        stored.Capabilities.Add(["keyvalue.basic", "pubsub.basic"]);
        stored.SecretsSet.Add("url");
        stored.Settings["schema"] = "prism";
        stored.Settings["pool_size"] = "10";
        stored.Labels["env"] = "prod";

        var yaml = ManifestWriter.Document(stored);
        var parsed = Assert.Single(Read(yaml).Manifest!.Request.Backends);

        var expected = new Backend { Name = "pg-main", Type = "postgres", Description = "Main database", Version = 2 };
        expected.Settings.Add(stored.Settings);
        expected.Labels.Add(stored.Labels);
        Assert.Equal(expected, parsed);
        Assert.StartsWith("# secrets set (write-only, kept unless named under secrets): url\n# source: api\n# endpoint: db.internal:5432\n# capabilities: keyvalue.basic, pubsub.basic\n", yaml, StringComparison.Ordinal);
        Assert.Contains("# created 1970-01-01T00:00:00Z by dev@local.prism\nkind: Backend\nname: pg-main\ntype: postgres\n", yaml, StringComparison.Ordinal);
        Assert.Contains("settings:\n  pool_size: \"10\"\n  schema: prism\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("secrets:", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_OfSeveralDocuments_ReadsBackAsAll()
    {
        var a = new Namespace { Name = "a", Quotas = new Quotas() };
        var b = new Namespace { Name = "b", Quotas = new Quotas(), Description = "x" };

        var yaml = ManifestWriter.Stream([ManifestWriter.Document(a), ManifestWriter.Document(b)]);

        Assert.Equal([a, b], Read(yaml).Manifest!.Request.Namespaces);
    }

    [Fact]
    public void ServerErrors_AreLocatedInTheirDocument()
    {
        var origins = Read(Example).Manifest!.Origins;

        Assert.Equal("test.yaml document 2: namespace 'orders': slot pubsub.source: backend instance 'nats' not found",
            ApplyCommand.Locate("namespace 'orders': slot pubsub.source: backend instance 'nats' not found", origins));
        Assert.Equal("backend 'other': x", ApplyCommand.Locate("backend 'other': x", origins));
        Assert.Equal("something else", ApplyCommand.Locate("something else", origins));
    }
}
