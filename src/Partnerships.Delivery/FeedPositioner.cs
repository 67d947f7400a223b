using Microsoft.Extensions.Logging;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>How often (PostgreSQL) committed events are given their feed positions; <c>Events:PositionPollMilliseconds</c>.</summary>
public sealed record FeedPositionOptions
{
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// PostgreSQL: numbers committed events in the feed shortly after their writes commit, so the backlog a feed reader numbers
/// itself stays small. Runs in every process; the assigner's advisory lock makes them take turns. SQLite numbers on insert.
/// </summary>
public sealed class FeedPositioner(Database db, FeedPositionOptions options, ILogger<FeedPositioner> logger) : PollingWorker(logger)
{
    protected override bool Enabled => db.IsPostgres;
    protected override TimeSpan Poll => options.Poll;
    protected override string Work => "Event feed numbering";

    /// <summary>One round: how many events it numbered.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using (var look = await DbSession.ReadAsync(db, ct))
        {
            if (!await EventStore.AnyUnpositionedAsync(look)) return 0;
        }
        var total = 0;
        int numbered;
        do
        {
            numbered = await EventStore.AssignPositionsAsync(db, ct);
            total += numbered;
        } while (numbered == EventStore.AssignBatch && !ct.IsCancellationRequested);
        return total;
    }
}
