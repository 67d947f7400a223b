using System.Text.Json;
using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Operations;

/// <summary>A write as recorded: its outcome (the stored response or error) and the delivery of its side effects.</summary>
public sealed record OperationView(
    [property: JsonPropertyName("operation_id")] string OperationId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("response_body")] JsonElement? ResponseBody,
    [property: JsonPropertyName("error")] JsonElement? Error,
    [property: JsonPropertyName("side_effects")] IReadOnlyList<SideEffectView> SideEffects)
{
    public static OperationView From(OperationRow o, IEnumerable<OutboxRow> outbox) => new(o.Id, o.Type, o.AccountId, o.Status,
        o.CreatedAt, o.UpdatedAt, Parse(o.ResponseBody), Parse(o.Error),
        outbox.Select(m => new SideEffectView(m.Channel, m.Topic, m.Status, m.Attempts, m.LastError, m.DeliveredAt)).ToList());

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

/// <summary>The delivery state of one side effect of an operation (a webhook or an email).</summary>
public sealed record SideEffectView(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("delivered_at")] string? DeliveredAt);
