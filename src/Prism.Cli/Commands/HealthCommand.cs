using Prism.Client;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>health</c>: checks every Prism endpoint prismctl knows, one line each.</summary>
public static class HealthCommand
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The <c>health</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("health", "Check the identity provider, the admin server and (when configured) the proxy; needs no login");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var checks = new List<Task<Check>>
            {
                IdentityAsync(context.Http, context.Settings.Issuer, cancellation),
                GrpcAsync("admin", context.Settings.AdminEndpoint, context.Tls, cancellation),
            };
            if (context.Settings.ProxyEndpoint is { } proxy)
            {
                checks.Add(GrpcAsync("proxy", proxy, context.Tls, cancellation));
            }

            var results = await Task.WhenAll(checks);
            var healthy = results.All(r => r.Healthy);
            context.Output.Write(new JsonObject
            {
                ["healthy"] = healthy,
                ["checks"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["endpoint"] = r.Endpoint,
                    ["healthy"] = r.Healthy,
                    ["detail"] = r.Detail,
                    ["latency_ms"] = r.LatencyMs,
                })]),
            }, () =>
            {
                var width = results.Max(r => r.Endpoint.Length);
                return new Text(string.Concat(results.Select(r => $"{(r.Healthy ? "✅" : "❌")} {r.Name,-8} {r.Endpoint.PadRight(width)}  {r.Detail}\n")));
            });
            return healthy ? ExitCodes.Ok : ExitCodes.Unavailable;
        });
        return command;
    }

    private static async Task<Check> IdentityAsync(HttpClient http, string issuer, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(CheckTimeout);
            using var response = await http.GetAsync(new Uri(issuer + "/.well-known/openid-configuration"), timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new Check("identity", issuer, false, $"discovery answered HTTP {(int)response.StatusCode}", clock.ElapsedMilliseconds);
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            var published = document.RootElement.TryGetProperty("issuer", out var value) ? value.GetString() : null;
            return published == issuer
                ? new Check("identity", issuer, true, "discovery ok", clock.ElapsedMilliseconds)
                : new Check("identity", issuer, false, $"discovery names another issuer: {published}", clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            return new Check("identity", issuer, false, Reason(e), clock.ElapsedMilliseconds);
        }
    }

    private static async Task<Check> GrpcAsync(string name, Uri endpoint, PrismTls tls, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var shown = endpoint.ToString().TrimEnd('/');
        try
        {
            using var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = tls.CreateHandler(), DisposeHttpClient = true });
            var reply = await new Health.HealthClient(channel).CheckAsync(
                new HealthCheckRequest(), deadline: DateTime.UtcNow + CheckTimeout, cancellationToken: cancellation);
            var serving = reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            return new Check(name, shown, serving, serving ? "serving" : "status " + reply.Status, clock.ElapsedMilliseconds);
        }
        catch (RpcException e) when (!cancellation.IsCancellationRequested)
        {
            var detail = e.StatusCode == StatusCode.DeadlineExceeded ? "no answer in time" : Reason(e.Status.DebugException ?? e);
            return new Check(name, shown, false, detail, clock.ElapsedMilliseconds);
        }
    }

    private static string Reason(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e is OperationCanceledException ? "no answer in time" : e.Message;
    }

    private sealed record Check(string Name, string Endpoint, bool Healthy, string Detail, long LatencyMs);
}
