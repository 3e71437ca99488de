using Prism.Backends.Credentials;
using Prism.Backends.Drivers.Redis;
using StackExchange.Redis;

namespace Prism.Backends.Tests.Credentials;

/// <summary>What the Redis credential contracts (one server, cluster) do as the session's own user.</summary>
internal static class RedisSessionProbe
{
    /// <summary>Reads a key as the session user; a NOPERM answer is <see cref="UnauthorizedAccessException"/>.</summary>
    public static async Task<string?> ReadAsync(Func<Task<ConnectionMultiplexer>> connect, string @namespace, string key)
    {
        await using var client = await connect();
        try
        {
            return await client.GetDatabase().StringGetAsync(RedisKeyValueStore.KeyOf(@namespace, key));
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOPERM", StringComparison.Ordinal))
        {
            throw new UnauthorizedAccessException(e.Message, e);
        }
    }

    /// <summary>True when the credential logs in as its own principal.</summary>
    public static async Task<bool> CanLogInAsync(Func<Task<ConnectionMultiplexer>> connect, SessionCredential credential)
    {
        try
        {
            await using var client = await connect();
            return (string?)await client.GetDatabase().ExecuteAsync("ACL", "WHOAMI") == credential.Principal;
        }
        catch (RedisException)
        {
            return false;
        }
    }
}
