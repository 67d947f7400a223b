using System.Text.Json;
using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>A platform's webhook endpoint; the secret only when it was just created or rotated.</summary>
public sealed record WebhookView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("consecutive_failures")] long ConsecutiveFailures,
    [property: JsonPropertyName("disabled_reason")] string? DisabledReason,
    [property: JsonPropertyName("secret")] string? Secret);

public sealed record OutboxMessageView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("message_id")] string MessageId,
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("platform_id")] string? PlatformId,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("operation_id")] string? OperationId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("next_attempt_at")] string NextAttemptAt,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("delivered_at")] string? DeliveredAt)
{
    public static OutboxMessageView From(OutboxRow r) => new(r.Id, r.MessageId, r.Channel, r.Topic, r.PlatformId, r.AccountId,
        r.OperationId, r.Status, r.Attempts, r.NextAttemptAt, r.LastError, r.CreatedAt, r.DeliveredAt);
}

public sealed record OutboxReplayView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("status")] string Status);

public sealed record EventView(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("payload")] JsonElement Payload)
{
    public static EventView From(EventRow e) => new(e.Position ?? e.Seq, e.EventId, e.Type, JsonDocument.Parse(e.Payload).RootElement.Clone());
}

/// <summary>A page of the event feed; <c>next_cursor</c> is the <c>after</c> of the next page.</summary>
public sealed record EventPageView(
    [property: JsonPropertyName("events")] IReadOnlyList<EventView> Events,
    [property: JsonPropertyName("next_cursor")] long NextCursor);
