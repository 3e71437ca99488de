using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Prism.ControlStore.Denials;

/// <summary>
/// Writes the audit entries of refused calls in the background, bounded by a <see cref="DeniedCallLedger"/>:
/// entries queued with <see cref="Enqueue"/> (the proxy's refusals) are written in batches every second, and
/// the ledger's summaries as their windows end; everything pending is written when the process stops.
/// </summary>
public sealed partial class DeniedCallAuditor(
    IControlStore store, DeniedCallLedger ledger, string source, TimeProvider time, ILogger<DeniedCallAuditor> logger) : BackgroundService
{
    /// <summary>Operation name of a summary entry.</summary>
    public const string SummaryOperation = "DeniedCalls";

    private const int QueueCapacity = 1024;
    private const int MaxPending = 10_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly List<AuditRecord> _pending = [];
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>The ledger that decides which refusals get an entry each.</summary>
    public DeniedCallLedger Ledger => ledger;

    /// <summary>
    /// Queues the entry of a refused call for writing; when the address is past its budget or the queue is
    /// full, counts it for the address's summary instead.
    /// </summary>
    public void Enqueue(AuditRecord record, string address)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (ledger.TryAdmit(address, record.StatusCode) && !_queue.Writer.TryWrite(record))
        {
            ledger.Count(address, record.StatusCode);
        }
    }

    /// <summary>The audit entry standing for <paramref name="summary"/>'s calls.</summary>
    public AuditRecord ToAudit(DeniedCallSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var first = summary.First.ToString("O", CultureInfo.InvariantCulture);
        var last = summary.Last.ToString("O", CultureInfo.InvariantCulture);
        return new AuditRecord(
            Guid.NewGuid(), summary.Last, "anonymous", [], SummaryOperation, "client_address", summary.Address, null, null, false,
            $"{summary.Count} denied calls from {summary.Address} ({summary.StatusCode}) between {first} and {last}: past {ledger.CallsPerWindow} per address per {Describe(ledger.Window)}, counted here instead of one entry each",
            summary.StatusCode,
            new Dictionary<string, string>
            {
                ["count"] = summary.Count.ToString(CultureInfo.InvariantCulture),
                ["first"] = first,
                ["last"] = last,
                ["source"] = source,
            })
        {
            ClientAddress = summary.Address == "*" ? null : summary.Address,
        };
    }

    /// <summary>Writes what is queued and the summaries of ended windows (all summaries with <paramref name="everything"/>).</summary>
    /// <remarks>Entries that could not be written are kept for the next flush, at most <see cref="MaxPending"/> of them.</remarks>
    public async Task FlushAsync(bool everything, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await FlushPendingAsync(everything, cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushPendingAsync(bool everything, CancellationToken cancellationToken)
    {
        while (_pending.Count < MaxPending && _queue.Reader.TryRead(out var record))
        {
            _pending.Add(record);
        }

        _pending.AddRange(ledger.TakeSummaries(everything).Select(ToAudit));
        if (_pending.Count > MaxPending)
        {
            _pending.RemoveRange(0, _pending.Count - MaxPending);
        }

        if (_pending.Count > 0)
        {
            await store.AppendAuditBatchAsync(_pending, cancellationToken);
            _pending.Clear();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, time, stoppingToken);
                await FlushAsync(everything: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFlushFailed(logger, source, e.GetType().Name, e.Message);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(everything: true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, source, e.GetType().Name, e.Message);
        }
    }

    private static string Describe(TimeSpan window) => window == TimeSpan.FromMinutes(1) ? "minute" : Prism.Hosting.Settings.GoDuration.Format(window);

    [LoggerMessage(EventId = 311, EventName = "DeniedCallAuditFailed", Level = LogLevel.Warning,
        Message = "{Source}: audit entries of refused calls not written yet, retrying: {ErrorType}: {Error}")]
    private static partial void LogFlushFailed(ILogger logger, string source, string errorType, string error);
}
