using Microsoft.Extensions.Logging;
using Prism.Identity.Configuration;

namespace Prism.Identity.Accounts;

/// <summary>Checks an email and password against the static users, applying <see cref="LoginThrottle"/>.</summary>
public sealed partial class AccountAuthenticator(StaticPasswordDirectory directory, LoginThrottle throttle, ILogger<AccountAuthenticator> logger)
{
    /// <summary>Signs <paramref name="email"/> in from <paramref name="clientAddress"/>, or says why not. Never logs the password.</summary>
    public SignInResult SignIn(string? email, string? password, string clientAddress)
    {
        if (!directory.Enabled)
        {
            return SignInResult.Refused("Password sign-in is disabled (enablePasswordDB is false).");
        }

        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return SignInResult.Refused("The email and the password are required.");
        }

        if (throttle.RetryAfter(email, clientAddress) is { } wait)
        {
            LogThrottled(logger, email, (int)Math.Ceiling(wait.TotalSeconds));
            return SignInResult.Refused(
                $"Too many failed sign-in attempts for this account; try again in {(int)Math.Ceiling(wait.TotalSeconds)} seconds.");
        }

        var user = directory.Verify(email, password);
        if (user is null)
        {
            throttle.RecordFailure(email, clientAddress);
            LogFailed(logger, email);
            return SignInResult.Refused("The email or password is incorrect.");
        }

        throttle.RecordSuccess(email, clientAddress);
        if (user.Disabled)
        {
            LogDisabled(logger, user.UserId);
            return SignInResult.Refused("This account is disabled.");
        }

        LogSignedIn(logger, user.UserId);
        return new SignInResult(user, null);
    }

    [LoggerMessage(EventId = 10, EventName = "SignInFailed", Level = LogLevel.Information, Message = "sign-in failed for {Email}")]
    private static partial void LogFailed(ILogger logger, string email);

    [LoggerMessage(EventId = 11, EventName = "SignInThrottled", Level = LogLevel.Warning, Message = "sign-in refused for {Email}: too many failures from this address, retry in {RetryAfterSeconds}s")]
    private static partial void LogThrottled(ILogger logger, string email, int retryAfterSeconds);

    [LoggerMessage(EventId = 13, EventName = "SignInDisabled", Level = LogLevel.Warning, Message = "sign-in refused for disabled user {UserId}")]
    private static partial void LogDisabled(ILogger logger, string userId);

    [LoggerMessage(EventId = 12, EventName = "SignedIn", Level = LogLevel.Information, Message = "user {UserId} signed in")]
    private static partial void LogSignedIn(ILogger logger, string userId);
}

/// <summary>Outcome of <see cref="AccountAuthenticator.SignIn"/>: the user, or an error a person can read.</summary>
public sealed record SignInResult(DexUser? User, string? Error)
{
    /// <summary>A refusal with <paramref name="error"/>.</summary>
    public static SignInResult Refused(string error) => new(null, error);
}
