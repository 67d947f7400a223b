using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Partnerships.Application.SideEffects;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>What one purge run removed, per kind, and how its batches went.</summary>
public sealed record RetentionRun(int IdempotencyRecords, int Operations, int OutboxMessages, int Events, int AuditEntries, int Batches, TimeSpan LongestBatch)
{
    public int Total => IdempotencyRecords + Operations + OutboxMessages + Events + AuditEntries;
}

/// <summary>
/// Removes what is older than its retention window (<see cref="RetentionOptions"/>), oldest first, in batches of at most
/// <see cref="RetentionOptions.BatchSize"/> rows, each its own short write transaction, with a pause between batches:
/// on SQLite the write lock is held for one batch at a time and partner writes (group-committed) take it in between; on
/// PostgreSQL several processes purge at once without waiting on each other's rows. The windows are measured from the
/// run's start on the injected clock.
/// </summary>
public sealed class RetentionWorker(Database db, RetentionOptions options, EmailOptions email, TimeProvider clock, ILogger<RetentionWorker> logger)
    : PollingWorker(logger)
{
    protected override bool Enabled => options.WorkerEnabled;
    protected override TimeSpan Poll => options.Interval;
    protected override string Work => "Retention purge";

    public override async Task<int> RunOnceAsync(CancellationToken ct) => (await PurgeAsync(ct)).Total;

    /// <summary>One purge run over every kind; logs what it removed (counts only).</summary>
    public async Task<RetentionRun> PurgeAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var batches = new Batches(options);
        var idempotency = await PurgeAsync(RetentionStore.IdempotencyRecords, now, batches, ct);
        var operations = options.Operations is { } o ? await PurgeAsync(RetentionStore.Operations, now - o, batches, ct) : 0;
        var messages = options.DeliveredMessages is { } m
            ? await PurgeMessagesAsync(RetentionStore.DeliveredMessages, now - m, batches, ct) + await PurgeMessagesAsync(RetentionStore.WithdrawnMessages, now - m, batches, ct)
            : 0;
        var events = options.Events is { } e ? await PurgeAsync(RetentionStore.Events, now - e, batches, ct) : 0;
        var audit = options.AuditEntries is { } a ? await PurgeAsync(RetentionStore.AuditEntries, now - a, batches, ct) : 0;
        var run = new RetentionRun(idempotency, operations, messages, events, audit, batches.Count, batches.Longest);
        Logger.LogInformation(
            "Retention purge removed {IdempotencyRecords} expired idempotency records, {Operations} operations, {OutboxMessages} delivered outbox messages, " +
            "{Events} events and {AuditEntries} audit entries in {Batches} batches (longest {LongestBatchMilliseconds} ms)",
            run.IdempotencyRecords, run.Operations, run.OutboxMessages, run.Events, run.AuditEntries, run.Batches, (long)run.LongestBatch.TotalMilliseconds);
        return run;
    }

    private async Task<int> PurgeAsync(PurgeTarget target, DateTimeOffset cutoff, Batches batches, CancellationToken ct)
    {
        var total = 0;
        int removed;
        do
        {
            await batches.PauseAsync(ct);
            var started = Stopwatch.GetTimestamp();
            await using (var s = await DbSession.WriteAsync(db, ct))
            {
                removed = await RetentionStore.DeleteBatchAsync(s, target, cutoff, options.BatchSize);
                await s.CommitAsync(ct);
            }
            batches.Record(removed, Stopwatch.GetElapsedTime(started));
            total += removed;
        } while (removed == options.BatchSize);
        return total;
    }

    /// <summary>
    /// Messages go in two steps: their pickup-folder copies first (an e-mail written there holds the merchant's address,
    /// and a later data deletion finds those files through their messages), then the rows. A run that stops in between
    /// leaves rows whose files are gone, which the next run removes.
    /// </summary>
    private async Task<int> PurgeMessagesAsync(PurgeTarget target, DateTimeOffset cutoff, Batches batches, CancellationToken ct)
    {
        var total = 0;
        IReadOnlyList<PurgedMessage> due;
        do
        {
            await batches.PauseAsync(ct);
            await using (var read = await DbSession.ReadAsync(db, ct))
            {
                due = await RetentionStore.MessagesAsync(read, target, cutoff, options.BatchSize);
            }
            if (due.Count == 0) break;
            foreach (var message in due.Where(m => m.Channel == Channels.Email)) RemovePickupCopy(message.MessageId);
            var started = Stopwatch.GetTimestamp();
            int removed;
            await using (var s = await DbSession.WriteAsync(db, ct))
            {
                removed = await RetentionStore.DeleteMessagesAsync(s, due.Select(m => m.Id).ToArray());
                await s.CommitAsync(ct);
            }
            batches.Record(removed, Stopwatch.GetElapsedTime(started));
            total += removed;
        } while (due.Count == options.BatchSize);
        return total;
    }

    private void RemovePickupCopy(string messageId)
    {
        var path = PickupFolder.PathOf(email, messageId);
        foreach (var file in new[] { path, path + ".tmp" })
        {
            if (File.Exists(file)) File.Delete(file);
        }
    }

    /// <summary>Counts the batches that removed something, keeps the longest, and pauses before every batch but a run's first.</summary>
    private sealed class Batches(RetentionOptions options)
    {
        private bool _started;
        public int Count { get; private set; }
        public TimeSpan Longest { get; private set; }

        public async Task PauseAsync(CancellationToken ct)
        {
            if (_started && options.BatchPause > TimeSpan.Zero) await Task.Delay(options.BatchPause, ct);
            _started = true;
        }

        public void Record(int removed, TimeSpan took)
        {
            if (removed == 0) return;
            Count++;
            if (took > Longest) Longest = took;
        }
    }
}
