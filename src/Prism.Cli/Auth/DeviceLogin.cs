using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Auth;

/// <summary>
/// The device authorization grant (RFC 8628): shows the verification URL and user code, tries to
/// open a browser, then polls the token endpoint honouring <c>interval</c> and <c>slow_down</c>
/// until the user approves, denies, or the code expires.
/// </summary>
public sealed class DeviceLogin(OidcClient oidc, Terminal terminal, Func<string, string?> environment, TimeProvider time)
{
    private static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);

    /// <summary>Runs the flow to its end.</summary>
    public async Task<CachedToken> RunAsync(CancellationToken cancellation)
    {
        var authorization = await oidc.AuthorizeDeviceAsync(cancellation);
        var error = terminal.Error.Profile.Out.Writer;
        await error.WriteLineAsync($"To sign in, open {authorization.VerificationUri} and enter the code {authorization.UserCode}");
        if (!string.IsNullOrEmpty(authorization.VerificationUriComplete))
        {
            await error.WriteLineAsync($"(or open {authorization.VerificationUriComplete})");
        }

        if (BrowserLauncher.TryOpen(authorization.VerificationUriComplete ?? authorization.VerificationUri!, environment))
        {
            await error.WriteLineAsync("Opened your browser.");
        }

        await error.FlushAsync(cancellation);
        var expiresIn = authorization.ExpiresIn is > 0 ? authorization.ExpiresIn.Value : 300;
        var deadline = time.GetUtcNow().AddSeconds(expiresIn);
        var interval = TimeSpan.FromSeconds(Math.Max(authorization.Interval, 1));
        if (!terminal.ErrorIsTerminal)
        {
            return await PollAsync(authorization.DeviceCode!, interval, deadline, cancellation);
        }

        return await terminal.Error.Status()
            .Spinner(Spinner.Known.Dots)
            .StartAsync("Waiting for you to sign in in the browser...", _ => PollAsync(authorization.DeviceCode!, interval, deadline, cancellation));
    }

    private async Task<CachedToken> PollAsync(string deviceCode, TimeSpan interval, DateTimeOffset deadline, CancellationToken cancellation)
    {
        while (true)
        {
            await Task.Delay(interval, time, cancellation);
            if (time.GetUtcNow() >= deadline)
            {
                throw Expired();
            }

            var response = await oidc.PollDeviceTokenAsync(deviceCode, cancellation);
            if (!response.IsError)
            {
                return oidc.ToCached(response);
            }

            switch (response.Error)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += SlowDownStep;
                    continue;
                case "expired_token":
                    throw Expired();
                case "access_denied":
                    throw new CliException(ExitCodes.Unauthenticated, "unauthenticated: the sign-in was denied on the verification page");
                default:
                    throw new CliException(ExitCodes.Unauthenticated, $"unauthenticated: device login failed: {response.Error} {response.ErrorDescription}".TrimEnd());
            }
        }
    }

    private static CliException Expired() =>
        new(ExitCodes.Unauthenticated, "unauthenticated: the device code expired before anyone signed in; run 'prismctl login' again");
}
