using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prism.Security.Configuration;
using Prism.Security.Tokens;

namespace Prism.Security.Revocation;

/// <summary>
/// Every <see cref="SecurityOptions.RevocationPollInterval"/>: reads the identity provider's revocation feed
/// (found in discovery as <c>prism_revocation_feed_endpoint</c>; a provider without one is a foreign provider
/// and its tokens live until they expire) and, when the host registered an <see cref="IRevokedIdentitySource"/>,
/// the identities terminated in the control store. Logs only when reading starts or stops failing.
/// </summary>
public sealed partial class RevocationPoller(
    TokenRevocations revocations,
    JwksCache keys,
    IHttpClientFactory httpClients,
    IOptions<SecurityOptions> options,
    IServiceProvider services,
    TimeProvider time,
    ILogger<RevocationPoller> logger) : BackgroundService
{
    /// <summary>Discovery metadata naming the feed.</summary>
    public const string DiscoveryName = "prism_revocation_feed_endpoint";

    private readonly SemaphoreSlim _polling = new(1, 1);
    private Uri? _feed;
    private bool _feedFailing;
    private bool _storeFailing;
    private Task? _firstPoll;

    /// <summary>Reads the feed and the terminated identities once.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            await PollFeedAsync(cancellationToken);
            await PollIdentitiesAsync(cancellationToken);
        }
        finally
        {
            _polling.Release();
        }
    }

    /// <summary>
    /// Completes once one poll has finished (successfully or not), starting it when none ran yet: a token
    /// validated right after start is checked against the current state, not an empty one.
    /// </summary>
    public Task EnsureFirstPollAsync(CancellationToken cancellationToken)
    {
        var first = Volatile.Read(ref _firstPoll);
        if (first is null)
        {
            var started = Task.Run(() => PollAsync(CancellationToken.None), CancellationToken.None);
            first = Interlocked.CompareExchange(ref _firstPoll, started, null) ?? started;
        }

        return first.IsCompleted ? Task.CompletedTask : first.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _polling.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.AuthDisabled)
        {
            return;
        }

        try
        {
            await EnsureFirstPollAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.RevocationPollInterval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PollAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PollFeedAsync(CancellationToken cancellationToken)
    {
        if (revocations.FeedPublished == false)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            if (_feed is null)
            {
                if ((await keys.GetAsync(timeout.Token)).RevocationFeed is not { } feed)
                {
                    revocations.NoFeed();
                    LogNoFeed(logger, options.Value.Issuer ?? "");
                    return;
                }

                _feed = feed;
            }

            var http = httpClients.CreateClient(JwksCache.HttpClientName);
            using var document = await ReadJsonAsync(http, _feed, timeout.Token);
            var root = document.RootElement;
            revocations.UpdateFeed(Strings(root, "revoked_token_ids"), Strings(root, "revoked_authorization_ids"), Strings(root, "disabled_subjects"));
            if (_feedFailing)
            {
                LogFeedRecovered(logger, _feed.ToString());
                _feedFailing = false;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_feedFailing)
            {
                LogFeedFailed(logger, _feed?.ToString() ?? options.Value.DiscoveryAddress, e.GetType().Name, e.Message, options.Value.RevocationGrace);
                _feedFailing = true;
            }
        }
    }

    private async Task PollIdentitiesAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IRevokedIdentitySource>() is not { } source)
        {
            return;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            revocations.UpdateIdentities(await source.RevokedIdentitiesAsync(timeout.Token));
            _storeFailing = false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The last known list stays in force while the store is away.
            if (!_storeFailing)
            {
                LogStoreFailed(logger, e.GetType().Name, e.Message);
                _storeFailing = true;
            }
        }
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpClient http, Uri address, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(address, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
    }

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    [LoggerMessage(EventId = 210, EventName = "RevocationFeedAbsent", Level = LogLevel.Information,
        Message = "identity provider {Issuer} publishes no revocation feed: its tokens are accepted until they expire")]
    private static partial void LogNoFeed(ILogger logger, string issuer);

    [LoggerMessage(EventId = 211, EventName = "RevocationFeedFailed", Level = LogLevel.Warning,
        Message = "reading the revocation feed at {Address} failed ({ErrorType}: {Error}); tokens are refused if it stays unreadable for {Grace}")]
    private static partial void LogFeedFailed(ILogger logger, string address, string errorType, string error, TimeSpan grace);

    [LoggerMessage(EventId = 212, EventName = "RevocationFeedRecovered", Level = LogLevel.Information,
        Message = "revocation feed at {Address} readable again")]
    private static partial void LogFeedRecovered(ILogger logger, string address);

    [LoggerMessage(EventId = 213, EventName = "RevokedIdentitiesUnavailable", Level = LogLevel.Warning,
        Message = "reading terminated identities from the control store failed ({ErrorType}: {Error}); the last known list stays in force")]
    private static partial void LogStoreFailed(ILogger logger, string errorType, string error);
}
