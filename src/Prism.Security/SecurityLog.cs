using Microsoft.Extensions.Logging;

namespace Prism.Security;

/// <summary>Log events of the security core. Tokens are never logged, only rejection codes.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 200, EventName = "SigningKeysRefreshed", Level = LogLevel.Information,
        Message = "signing keys refreshed from {DiscoveryAddress}: {KeyCount} keys ({Reason})")]
    public static partial void KeysRefreshed(ILogger logger, string discoveryAddress, int keyCount, string reason);

    [LoggerMessage(EventId = 201, EventName = "IdentityProviderUnreachable", Level = LogLevel.Warning,
        Message = "identity provider unreachable at {DiscoveryAddress} ({Reason}): {Error}; validating with {CachedKeyCount} cached keys")]
    public static partial void IdentityProviderUnreachable(ILogger logger, string discoveryAddress, string reason, string error, int cachedKeyCount);

    [LoggerMessage(EventId = 202, EventName = "TokenRejected", Level = LogLevel.Information,
        Message = "token rejected: {Code}")]
    public static partial void TokenRejected(ILogger logger, string code);

    [LoggerMessage(EventId = 203, EventName = "KeyRefetchRateLimited", Level = LogLevel.Debug,
        Message = "unknown key id: refetch skipped, the last one was under {Interval} ago")]
    public static partial void RefetchRateLimited(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 204, EventName = "AuthenticationDisabled", Level = LogLevel.Warning,
        Message = "authentication is disabled: every call runs as {Actor} with every role")]
    public static partial void AuthenticationDisabled(ILogger logger, string actor);
}
