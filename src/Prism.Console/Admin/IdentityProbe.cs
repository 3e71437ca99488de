using System.Diagnostics;
using System.Globalization;
using Prism.Hosting.Tls;

namespace Prism.WebConsole.Admin;

/// <summary>The identity provider's health as the console sees it: its discovery document answers, and how fast.</summary>
/// <param name="Healthy">True when discovery answered 200 in time.</param>
/// <param name="Detail">The latency, or what went wrong (status code or no answer), never a response body.</param>
public sealed record IdentityHealth(bool Healthy, string Detail);

/// <summary>Asks the issuer's discovery endpoint, with the console's outbound TLS trust, within 2 seconds.</summary>
public sealed class IdentityProbe(ConsoleOptions options, OutboundTls tls) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly HttpClient _http = new(tls.CreateHandler()) { Timeout = Timeout };

    /// <summary>The issuer probed.</summary>
    public Uri Issuer => options.Issuer;

    public async Task<IdentityHealth> CheckAsync(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await _http.GetAsync(new Uri(options.Issuer.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration"), cancellation);
            return response.IsSuccessStatusCode
                ? new IdentityHealth(true, string.Create(CultureInfo.InvariantCulture, $"discovery answered in {clock.Elapsed.TotalMilliseconds:0} ms"))
                : new IdentityHealth(false, string.Create(CultureInfo.InvariantCulture, $"discovery answered HTTP {(int)response.StatusCode}"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return new IdentityHealth(false, e is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : "unreachable");
        }
    }

    public void Dispose() => _http.Dispose();
}
