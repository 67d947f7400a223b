using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>What operators do with deliveries, shared by the admin routes and the CLI: list the outbox, replay a dead message, read the event feed.</summary>
public sealed class DeliveryAdmin(Database db, TimeProvider clock)
{
    public async Task<IReadOnlyList<OutboxMessageView>> OutboxAsync(string? status, long? after, int limit)
    {
        if (status is not (null or "pending" or "delivered" or "dead" or "cancelled")) throw ApiError.Field("status", "must be pending, delivered, dead or cancelled");
        await using var s = await DbSession.ReadAsync(db);
        return (await OutboxStore.ListAsync(s, status, after, limit)).Select(OutboxMessageView.From).ToList();
    }

    public Task<OutboxReplayView> ReplayAsync(OperatorActor actor, long id) => OperatorAudit.RunAsync(db, clock, actor, "outbox.replay", $"outbox:{id}", async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        if (await OutboxStore.ReplayAsync(s, id, clock.GetUtcNow()) == 0) throw ApiError.NotFound($"No dead message {id}");
        (audit.Before, audit.After) = (new { status = "dead" }, new { status = "pending" });
        await audit.CommitAsync(s);
        return new OutboxReplayView(id, "pending");
    });

    /// <summary>The events after <paramref name="after"/>; the page's cursor is the last one's position (or <paramref name="after"/> when empty).</summary>
    public async Task<EventPageView> EventsAsync(long after, int limit)
    {
        // Numbers what has committed so far first, so a reader sees every event committed before its read.
        await EventStore.AssignPositionsAsync(db);
        await using var s = await DbSession.ReadAsync(db);
        var events = (await EventStore.ReadAsync(s, after, limit)).Select(EventView.From).ToList();
        return new EventPageView(events, events.Count > 0 ? events[^1].Seq : after);
    }
}
