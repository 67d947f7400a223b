using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Partnerships.Application;
using Partnerships.Storage;

namespace Partnerships.Delivery;

public sealed record OutboxGaugeOptions
{
    public bool Enabled { get; init; } = true;
    /// <summary>How often the outbox is counted; a scrape reads the last count and never queries the store.</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>The bound on one count (it is skipped, and the last values kept, when the store is slow or away).</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Outbox depth (pending and dead messages) and the age of the oldest due message, counted in the background and
/// cached, so the gauges cost a scrape nothing and cannot make it wait on the store.
/// </summary>
public sealed class OutboxGauges(Database db, TimeProvider clock, OutboxGaugeOptions options, ILogger<OutboxGauges> logger) : BackgroundService
{
    // One process usually runs one host; where several run side by side (tests), each reports its own store's counts.
    private static readonly ConcurrentDictionary<OutboxGauges, byte> Running = new();

    static OutboxGauges()
    {
        ServiceMetrics.Meter.CreateObservableGauge("partnerships.outbox.depth", ObserveDepth, "{message}",
            "Outbox messages waiting (status pending) or given up (status dead)");
        ServiceMetrics.Meter.CreateObservableGauge("partnerships.outbox.oldest_due_age", ObserveAge, "s",
            "Seconds since the oldest message that is due for delivery now was created (0 when none is due)");
    }

    private volatile Snapshot? _last;

    private sealed record Snapshot(long Pending, long Dead, double OldestDueAgeSeconds);

    /// <summary>The last count, or null before the first one.</summary>
    public (long Pending, long Dead, double OldestDueAgeSeconds)? Last => _last is { } s ? (s.Pending, s.Dead, s.OldestDueAgeSeconds) : null;

    private static IEnumerable<Measurement<long>> ObserveDepth()
    {
        foreach (var gauges in Running.Keys)
        {
            if (gauges._last is not { } s) continue;
            yield return new Measurement<long>(s.Pending, new KeyValuePair<string, object?>("status", "pending"));
            yield return new Measurement<long>(s.Dead, new KeyValuePair<string, object?>("status", "dead"));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveAge()
    {
        foreach (var gauges in Running.Keys)
        {
            if (gauges._last is { } s) yield return new Measurement<double>(s.OldestDueAgeSeconds);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        Running[this] = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogDebug("Outbox gauges not refreshed ({Reason}); keeping the last values", e.Message);
                }
                try { await Task.Delay(options.Refresh, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
        finally
        {
            Running.TryRemove(this, out _);
        }
    }

    /// <summary>One bounded count: pending and dead through the due index, the oldest due message's creation.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(options.QueryTimeout);
        var now = clock.GetUtcNow();
        await using var s = await DbSession.ReadAsync(db, bound.Token);
        var row = await Partnerships.Storage.Stores.OutboxStore.CountAsync(s, now, options.QueryTimeout, bound.Token);
        var age = row.OldestDue is { } created ? Math.Max(0, (now - Database.ParseTimestamp(created)).TotalSeconds) : 0;
        _last = new Snapshot(row.Pending, row.Dead, age);
    }
}
