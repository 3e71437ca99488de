using System.Text;
using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Backends.KeyValue;
using Prism.Backends.Queue;
using Prism.Backends.Tests.Support;

namespace Prism.Backends.Tests.Credentials;

/// <summary>
/// What every source of per-session credentials promises, against the real server: a credential
/// reaches its namespace's data and gets a permission error on another's, renewal, revocation
/// that ends open connections, and a refusal that leaves nothing behind.
/// </summary>
public abstract class CredentialSourceContract : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private TestBackends? _backends;

    protected BackendInstance Instance { get; private set; } = null!;

    protected ICredentialSource Source => Instance.CredentialSource!;

    /// <summary>Settings of a dynamic instance whose url is the administrative credential.</summary>
    protected abstract Task<Dictionary<string, string>> DynamicSettingsAsync();

    protected abstract string TypeName { get; }

    /// <summary>Reads <paramref name="key"/> of <paramref name="namespace"/> with a client of the test's own that logs in as <paramref name="credential"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The backend answered with a permission error.</exception>
    protected abstract Task<string?> ReadDirectlyAsync(SessionCredential credential, string @namespace, string key);

    /// <summary>True when a new connection logging in as <paramref name="credential"/> is accepted.</summary>
    protected abstract Task<bool> CanLogInAsync(SessionCredential credential);

    /// <summary>A dynamic instance whose administrative credential may not create principals.</summary>
    protected abstract Task<BackendInstanceSpec> UnprivilegedSpecAsync();

    public async Task InitializeAsync()
    {
        _backends = new TestBackends(TestBackends.Settings());
        Instance = Track(_backends.Registry.Open(new BackendInstanceSpec("dyn", TypeName, await DynamicSettingsAsync(), BackendSource.Api)));
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await _backends!.DisposeAsync();
    }

    [Fact]
    public void DynamicInstance_HasASourceAndItsPolicy()
    {
        Assert.True(Instance.Credentials.IsDynamic);
        Assert.Equal(TimeSpan.FromMinutes(10), Instance.Credentials.LeaseTtl);
        Assert.NotNull(Instance.CredentialSource);
    }

    [Fact]
    public async Task Credential_ReadsItsNamespace_AndIsRefusedAnother()
    {
        var a = await IssueAsync("team-a");
        var b = await IssueAsync("team-b");
        await WriteAsync(a, "k", "of a");
        await WriteAsync(b, "k", "of b");

        Assert.Equal("of a", await ReadDirectlyAsync(a, "team-a", "k"));
        Assert.Equal("of b", await ReadDirectlyAsync(b, "team-b", "k"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ReadDirectlyAsync(a, "team-b", "k"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => ReadDirectlyAsync(b, "team-a", "k"));
    }

    [Fact]
    public async Task Credential_RunsTheQueuePatternOfItsNamespace()
    {
        var credential = await IssueAsync("team-q");
        var drivers = Track(Instance.OpenAs(credential));
        var queue = (IQueue)drivers.Driver(Patterns.Queue)!;

        var id = await queue.EnqueueAsync("team-q", "jobs", "job"u8.ToArray(), null, null, "once", default);
        Assert.Equal(id, await queue.EnqueueAsync("team-q", "jobs", "job"u8.ToArray(), null, null, "once", default));
        await using var member = await queue.ConsumeAsync("team-q", "jobs", "workers", "w1", ConsumeOptions.Default, default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var message in member.ReadAllAsync(timeout.Token))
        {
            Assert.Equal("job", Encoding.UTF8.GetString(message.Payload.Span));
            Assert.True(await member.AckAsync(message.MessageId, default));
            break;
        }
    }

    [Fact]
    public async Task DeadLettersOfASessionsQueue_AreSeenWithTheInstanceCredential()
    {
        var credential = await IssueAsync("team-d");
        var session = (IQueue)Track(Instance.OpenAs(credential)).Driver(Patterns.Queue)!;
        await session.EnqueueAsync("team-d", "jobs", "poison"u8.ToArray(), null, null, null, default);
        await using (var member = await session.ConsumeAsync("team-d", "jobs", "workers", "w1", ConsumeOptions.Default with { MaxRetries = 0 }, default))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await foreach (var message in member.ReadAllAsync(timeout.Token))
            {
                Assert.True(await member.NackAsync(message.MessageId, TimeSpan.Zero, "cannot parse", default));
                break;
            }
        }

        var operators = (IQueue)Instance.DriversOf("team-d").Driver(Patterns.Queue)!;
        var dead = Assert.Single(await operators.ListDeadLettersAsync("team-d", "jobs", null, 10, default));
        Assert.Equal("cannot parse", dead.Error);
    }

    [Fact]
    public async Task Revoke_RemovesThePrincipal_AndEndsItsConnections()
    {
        var credential = await IssueAsync("team-a");
        await using var drivers = Instance.OpenAs(credential);
        var store = (IKeyValueStore)drivers.Driver(Patterns.KeyValue)!;
        await store.SetAsync("team-a", "k", "v"u8.ToArray(), null, default);
        Assert.Contains(credential.Principal, await Source.ListIssuedAsync(default));

        await Source.RevokeAsync(credential.Principal, default);

        Assert.DoesNotContain(credential.Principal, await Source.ListIssuedAsync(default));
        Assert.False(await CanLogInAsync(credential));
        await Assert.ThrowsAnyAsync<Exception>(() => store.GetAsync("team-a", "k", default));
        await Source.RevokeAsync(credential.Principal, default); // idempotent
    }

    [Fact]
    public async Task Renew_KeepsTheCredential_AndFailsOnceItIsGone()
    {
        var credential = await IssueAsync("team-a");
        await Source.RenewAsync(credential.Principal, DateTimeOffset.UtcNow.AddMinutes(20), default);
        Assert.True(await CanLogInAsync(credential));

        await Source.RevokeAsync(credential.Principal, default);

        var refused = await Assert.ThrowsAsync<CredentialIssueException>(() => Source.RenewAsync(credential.Principal, DateTimeOffset.UtcNow.AddMinutes(20), default));
        Assert.Contains("renew", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusal_NamesTheReason_AndLeavesNothing()
    {
        var before = await Source.ListIssuedAsync(default);
        await using var unprivileged = _backends!.Registry.Open(await UnprivilegedSpecAsync());

        var refused = await Assert.ThrowsAsync<CredentialIssueException>(() =>
            unprivileged.CredentialSource!.IssueAsync(new CredentialRequest(CredentialNames.NewLeaseId(), "team-a", DateTimeOffset.UtcNow.AddMinutes(5)), default));

        Assert.Contains("issue refused", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before.Order(), (await Source.ListIssuedAsync(default)).Order());
        var check = await Assert.ThrowsAsync<CredentialIssueException>(() => unprivileged.CredentialSource!.CheckAsync(default));
        Assert.Contains("issue refused", check.Message, StringComparison.Ordinal);
        await Source.CheckAsync(default);
    }

    protected async Task<SessionCredential> IssueAsync(string @namespace, TimeSpan? ttl = null)
    {
        var credential = await Source.IssueAsync(
            new CredentialRequest(CredentialNames.NewLeaseId(), @namespace, DateTimeOffset.UtcNow + (ttl ?? TimeSpan.FromMinutes(5))), default);
        Assert.DoesNotContain(credential.Secret, credential.ToString(), StringComparison.Ordinal);
        return credential;
    }

    private async Task WriteAsync(SessionCredential credential, string key, string value)
    {
        var drivers = Track(Instance.OpenAs(credential));
        var store = (IKeyValueStore)drivers.Driver(Patterns.KeyValue)!;
        await store.SetAsync(credential.Namespace, key, Encoding.UTF8.GetBytes(value), null, default);
    }

    private T Track<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
