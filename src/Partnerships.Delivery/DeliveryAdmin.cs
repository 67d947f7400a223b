using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>What operators do with deliveries, shared by the admin routes and the CLI: list the outbox, replay a dead message, read the event feed.</summary>
public sealed class DeliveryAdmin(Database db, TimeProvider clock)
{
    public async Task<IReadOnlyList<OutboxRow>> OutboxAsync(string? status, long? after, int limit)
    {
        if (status is not (null or "pending" or "delivered" or "dead" or "cancelled")) throw ApiError.Field("status", "must be pending, delivered, dead or cancelled");
        await using var s = await DbSession.ReadAsync(db);
        return await OutboxStore.ListAsync(s, status, after, limit);
    }

    public Task ReplayAsync(OperatorActor actor, long id) => OperatorAudit.RunAsync(db, clock, actor, "outbox.replay", $"outbox:{id}", async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        if (await OutboxStore.ReplayAsync(s, id, clock.GetUtcNow()) == 0) throw ApiError.NotFound($"No dead message {id}");
        (audit.Before, audit.After) = (new { status = "dead" }, new { status = "pending" });
        await audit.CommitAsync(s);
        return true;
    });

    public async Task<IReadOnlyList<EventRow>> EventsAsync(long after, int limit)
    {
        // Numbers what has committed so far first, so a reader sees every event committed before its read.
        await EventStore.AssignPositionsAsync(db);
        await using var s = await DbSession.ReadAsync(db);
        return await EventStore.ReadAsync(s, after, limit);
    }

    public static object View(OutboxRow r) => new
    {
        id = r.Id, message_id = r.MessageId, channel = r.Channel, topic = r.Topic, platform_id = r.PlatformId, account_id = r.AccountId,
        operation_id = r.OperationId, status = r.Status, attempts = r.Attempts, next_attempt_at = r.NextAttemptAt, last_error = r.LastError,
        created_at = r.CreatedAt, delivered_at = r.DeliveredAt,
    };

    public static object View(EventRow r) => new
    {
        seq = r.Position ?? r.Seq, event_id = r.EventId, type = r.Type, payload = System.Text.Json.JsonDocument.Parse(r.Payload).RootElement.Clone(),
    };

    public static object View(WebhookEndpointView v) => new
    {
        platform_parent_account_id = v.PlatformParentAccountId, url = v.Url, status = v.Status, consecutive_failures = v.ConsecutiveFailures,
        disabled_reason = v.DisabledReason, secret = v.Secret,
    };
}
