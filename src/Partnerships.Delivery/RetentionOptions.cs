namespace Partnerships.Delivery;

/// <summary>
/// How long the store keeps each kind of record, and how the purge that enforces it runs (<c>Retention:*</c>, see
/// docs/operations.md). A window of null keeps that kind without limit.
/// </summary>
public sealed record RetentionOptions
{
    /// <summary>Retention:Worker — run the purge in this process (safe in several at once).</summary>
    public bool WorkerEnabled { get; init; } = true;
    /// <summary>Retention:IntervalSeconds — how often a purge run starts.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Retention:BatchSize — most rows one purge transaction removes.</summary>
    public int BatchSize { get; init; } = 500;
    /// <summary>Retention:BatchPauseMilliseconds — the pause between two batches, so partner writes get the store in between.</summary>
    public TimeSpan BatchPause { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Retention:OperationsDays — finished operations and their stored responses, from their last update.</summary>
    public TimeSpan? Operations { get; init; } = TimeSpan.FromDays(30);
    /// <summary>Retention:DeliveredMessagesDays — delivered outbox messages (from delivery) and withdrawn ones (from creation).</summary>
    public TimeSpan? DeliveredMessages { get; init; } = TimeSpan.FromDays(30);
    /// <summary>Retention:EventsDays — the downstream event feed.</summary>
    public TimeSpan? Events { get; init; } = TimeSpan.FromDays(90);
    /// <summary>Retention:AuditDays — audit entries, partner writes and operator actions.</summary>
    public TimeSpan? AuditEntries { get; init; } = TimeSpan.FromDays(365);
}
