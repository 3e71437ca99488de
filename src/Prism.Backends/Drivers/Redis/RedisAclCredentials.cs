using Prism.Backends.Credentials;
using StackExchange.Redis;

namespace Prism.Backends.Drivers.Redis;

/// <summary>
/// Per-session Redis ACL users, created with the instance's credential (it needs the <c>@admin</c>
/// ACL commands). A session user reaches only its namespace's keys (<c>~prism:{len}:{ns}:*</c>, the
/// prefix every redis driver writes under), no pub/sub channel, and only the commands the data
/// patterns send. Redis has no expiry for ACL users: the lease sweep removes those of dead sessions.
/// On Redis Cluster ACL users are per node, so every change goes to every connected node (masters and
/// replicas), a renewal checks the user on each, and the issued users are the union of the nodes' lists.
/// </summary>
internal sealed class RedisAclCredentials(Func<Task<ConnectionMultiplexer>> redis) : ICredentialSource
{
    /// <summary>Prefix of every session user.</summary>
    public const string UserPrefix = "prism-s-";

    /// <summary>
    /// What a session user may run: the key-value and stream commands, the queue's idempotent-publish script
    /// (whose commands Redis checks against the same rules), and what the client sends when it connects.
    /// </summary>
    public static readonly string[] Commands =
    [
        "+ping", "+echo", "+hello", "+acl|whoami", "+client|setname", "+client|id", "+info", "+cluster|slots", "+cluster|nodes", "+cluster|shards",
        "+readonly", "+asking", "+select", "+multi", "+exec", "+discard", "+watch", "+unwatch", "+eval", "+evalsha",
        "+get", "+set", "+setex", "+psetex", "+getex", "+del", "+unlink", "+exists", "+expire", "+pexpire", "+ttl", "+pttl", "+persist", "+mget", "+mset", "+hset", "+hget", "+hmget", "+hdel",
        "+xadd", "+xreadgroup", "+xread", "+xack", "+xautoclaim", "+xclaim", "+xgroup", "+xpending", "+xrange", "+xrevrange", "+xdel", "+xlen", "+xinfo",
    ];

    /// <inheritdoc />
    public string PrincipalOf(string leaseId) => UserPrefix + leaseId;

    /// <inheritdoc />
    public async Task<SessionCredential> IssueAsync(CredentialRequest request, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = PrincipalOf(request.LeaseId);
        var secret = CredentialNames.NewSecret();
        // One command: the user exists complete with its rules, or not at all.
        object[] arguments =
        [
            "SETUSER", user, "reset", "on", ">" + secret, "~" + RedisKeyValueStore.KeyPrefix(request.Namespace) + "*", "resetchannels", "-@all", .. Commands,
        ];
        await RunEverywhereAsync(arguments, "issue", secret, cancellation);
        return new SessionCredential(user, secret, request.Namespace);
    }

    /// <summary>Redis users do not expire: renewing checks that the user still exists.</summary>
    public async Task RenewAsync(string principal, DateTimeOffset expiresAt, CancellationToken cancellation)
    {
        var found = await RunEverywhereAsync(["GETUSER", Own(principal)], "renew", null, cancellation);
        if (found.Any(f => f.IsNull))
        {
            throw new CredentialIssueException($"renew refused: user {principal} no longer exists");
        }
    }

    /// <summary>ACL DELUSER also closes every connection authenticated as the user.</summary>
    public Task RevokeAsync(string principal, CancellationToken cancellation) =>
        RunEverywhereAsync(["DELUSER", Own(principal)], "revoke", null, cancellation);

    /// <inheritdoc />
    public async Task CheckAsync(CancellationToken cancellation)
    {
        var me = (string?)await RunAsync(db => db.ExecuteAsync("ACL", "WHOAMI"), "issue", null, cancellation);
        var verdict = (string?)await RunAsync(db => db.ExecuteAsync("ACL", "DRYRUN", me ?? "default", "ACL", "SETUSER", UserPrefix + "check"), "issue", null, cancellation);
        if (verdict != "OK")
        {
            throw new CredentialIssueException($"issue refused: user {me} may not run ACL SETUSER ({verdict})");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListIssuedAsync(CancellationToken cancellation)
    {
        var users = await RunEverywhereAsync(["USERS"], "list", null, cancellation);
        return [.. users.SelectMany(list => (RedisResult[])list!).Select(u => (string)u!).Where(u => u.StartsWith(UserPrefix, StringComparison.Ordinal)).Distinct()];
    }

    private static string Own(string principal) =>
        principal.StartsWith(UserPrefix, StringComparison.Ordinal) ? principal : throw new ArgumentException($"'{principal}' is not a session user", nameof(principal));

    /// <summary>ACL <paramref name="arguments"/> on the server, or on every connected node of a cluster; one answer per node.</summary>
    private Task<RedisResult[]> RunEverywhereAsync(object[] arguments, string what, string? secret, CancellationToken cancellation) =>
        RunAsync(async db =>
        {
            if (!RedisSlots.IsCluster(db.Multiplexer))
            {
                return [await db.ExecuteAsync("ACL", arguments)];
            }

            var nodes = db.Multiplexer.GetServers().Where(s => s.IsConnected).ToList();
            if (nodes.Count == 0)
            {
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "no cluster node connected", null, CommandStatus.Unknown);
            }

            return await Task.WhenAll(nodes.Select(n => n.ExecuteAsync("ACL", arguments)));
        }, what, secret, cancellation);

    private async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command, string what, string? secret, CancellationToken cancellation)
    {
        try
        {
            var multiplexer = await redis().WaitAsync(cancellation);
            return await command(multiplexer.GetDatabase()).WaitAsync(cancellation);
        }
        catch (RedisServerException e)
        {
            // A rule Redis cannot parse is echoed in its error: never let the password through.
            var reason = secret is null ? e.Message : e.Message.Replace(secret, "***", StringComparison.Ordinal);
            throw new CredentialIssueException($"{what} refused: {reason}", e);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw new CredentialIssueException($"{what} failed: cannot reach the backend ({e.GetType().Name})", e);
        }
    }
}
