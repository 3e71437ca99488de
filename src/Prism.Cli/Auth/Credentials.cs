using Prism.Cli.Config;
using Prism.Cli.Output;

namespace Prism.Cli.Auth;

/// <summary>
/// Finds the bearer token of a call, in RFC-016/RFC-010 order: <c>PRISM_TOKEN</c>, a valid cached
/// token, a refresh, the automatic developer login (<c>PRISM_LOCAL_DEV=true</c>), client credentials
/// (<c>PRISM_CLIENT_ID</c>/<c>PRISM_CLIENT_SECRET</c>), then the device flow. Every token obtained is cached.
/// </summary>
public sealed class Credentials(CliSettings settings, TokenCache cache, OidcClient oidc, Terminal terminal, Func<string, string?> environment, TimeProvider time)
{
    /// <summary>A cached token this close to its expiry counts as expired.</summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private bool _renewable;

    /// <summary>The token cache.</summary>
    public TokenCache Cache => cache;

    /// <summary>The OIDC client.</summary>
    public OidcClient Oidc => oidc;

    /// <summary>True when the last token came from the cache, so a rejection is worth one renewal.</summary>
    public bool CanRenew => _renewable;

    /// <summary>The access token to send.</summary>
    public async Task<string> GetAccessTokenAsync(CancellationToken cancellation)
    {
        _renewable = false;
        if (settings.StaticToken is { } given)
        {
            return given;
        }

        var cached = cache.Load();
        if (cached is not null && cached.IsValidAt(time.GetUtcNow(), ExpiryMargin))
        {
            _renewable = true;
            return cached.AccessToken;
        }

        if (cached?.RefreshToken is { } refreshToken && await oidc.RefreshAsync(refreshToken, cancellation) is { } refreshed)
        {
            cache.Save(refreshed);
            return refreshed.AccessToken;
        }

        return (await LoginAsync(LoginMethod.Automatic, cancellation)).AccessToken;
    }

    /// <summary>After the server rejected a cached token: refresh it, or log in again.</summary>
    public async Task<string> RenewAsync(CancellationToken cancellation)
    {
        _renewable = false;
        if (cache.Load()?.RefreshToken is { } refreshToken && await oidc.RefreshAsync(refreshToken, cancellation) is { } refreshed)
        {
            cache.Save(refreshed);
            return refreshed.AccessToken;
        }

        return (await LoginAsync(LoginMethod.Automatic, cancellation)).AccessToken;
    }

    /// <summary>Logs in with <paramref name="method"/> (Automatic picks as the credential order says) and caches the token.</summary>
    public async Task<CachedToken> LoginAsync(LoginMethod method, CancellationToken cancellation, string? user = null, string? password = null)
    {
        var automatic = method == LoginMethod.Automatic;
        if (automatic)
        {
            method = settings.AutoLogin ? LoginMethod.Password
                : settings.HasClientCredentials ? LoginMethod.ClientCredentials
                : LoginMethod.Device;
            if (method == LoginMethod.Device && !terminal.ErrorIsTerminal)
            {
                // Nobody is there to open the URL: waiting out the device code would hang a script for minutes.
                throw new CliException(ExitCodes.Unauthenticated,
                    $"not logged in: run 'prismctl login' in a terminal, or set {CliEnvironment.LocalDev}=true to log in as the developer of a local stack "
                    + $"({CliEnvironment.Token}, or {CliEnvironment.ClientId} and {CliEnvironment.ClientSecret}, for scripts)");
            }
        }

        CachedToken token;
        switch (method)
        {
            case LoginMethod.Password:
                user ??= settings.AutoLoginUser;
                token = await oidc.PasswordAsync(user, password ?? settings.AutoLoginPassword, cancellation);
                if (automatic)
                {
                    await terminal.Error.Profile.Out.Writer.WriteLineAsync($"Auto-authenticated as {user}".AsMemory(), cancellation);
                }

                break;
            case LoginMethod.ClientCredentials:
                if (!settings.HasClientCredentials)
                {
                    throw CliException.Usage($"client credentials need {CliEnvironment.ClientId} and {CliEnvironment.ClientSecret}");
                }

                token = await oidc.ClientCredentialsAsync(settings.ServiceClientId!, settings.ServiceClientSecret!, cancellation);
                break;
            default:
                token = await new DeviceLogin(oidc, terminal, environment, time).RunAsync(cancellation);
                break;
        }

        cache.Save(token);
        return token;
    }
}

/// <summary>How to log in.</summary>
public enum LoginMethod
{
    /// <summary>Password grant when auto-login is on, else client credentials when configured, else the device flow.</summary>
    Automatic,

    /// <summary>Resource owner password grant.</summary>
    Password,

    /// <summary>Client credentials grant.</summary>
    ClientCredentials,

    /// <summary>Device authorization grant.</summary>
    Device,
}
