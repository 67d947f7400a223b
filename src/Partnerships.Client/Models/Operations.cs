using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>The record of one write: its outcome, its stored answer and the delivery of its side effects.</summary>
/// <param name="OperationId">The operation's id (the write's <c>X-Operation-Id</c>).</param>
/// <param name="Type">What the write was, e.g. <c>marketplace_controls.put</c>.</param>
/// <param name="AccountId">The account written to, if any.</param>
/// <param name="Status"><c>pending</c>, <c>in_progress</c>, <c>completed</c> or <c>failed</c> (see <see cref="OperationStatuses"/>).</param>
/// <param name="CreatedAt">When the write was received.</param>
/// <param name="UpdatedAt">When the operation last changed.</param>
/// <param name="ResponseBody">The full original response envelope, once there is one.</param>
/// <param name="Error">Why the operation failed, if it did.</param>
/// <param name="SideEffects">The webhooks and e-mails the write caused.</param>
public sealed record Operation(
    [property: JsonPropertyName("operation_id")] string OperationId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("response_body")] JsonElement? ResponseBody,
    [property: JsonPropertyName("error")] OperationError? Error,
    [property: JsonPropertyName("side_effects")] IReadOnlyList<SideEffect> SideEffects)
{
    /// <summary>True once the operation will not change status any more (<c>completed</c> or <c>failed</c>).</summary>
    [JsonIgnore]
    public bool IsTerminal => Status is OperationStatuses.Completed or OperationStatuses.Failed;
}

/// <summary>The operation statuses.</summary>
public static class OperationStatuses
{
    /// <summary>Queued for a background worker (a data deletion).</summary>
    public const string Pending = "pending";
    /// <summary>Still running (a payout setup waiting on the provider).</summary>
    public const string InProgress = "in_progress";
    /// <summary>Committed.</summary>
    public const string Completed = "completed";
    /// <summary>Rejected, or a side effect was dead-lettered.</summary>
    public const string Failed = "failed";
}

/// <summary>Why an operation failed.</summary>
/// <param name="Code">The envelope error code.</param>
/// <param name="Message">The message.</param>
/// <param name="Details">The issues, with their reasons, as the failed answer listed them.</param>
public sealed record OperationError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("details")] IReadOnlyList<ErrorDetail>? Details = null);

/// <summary>The delivery state of one side effect of an operation.</summary>
/// <param name="Channel"><c>webhook</c> or <c>email</c>.</param>
/// <param name="Topic">The event or message type.</param>
/// <param name="Status"><c>pending</c>, <c>delivered</c>, <c>dead</c> or <c>cancelled</c> (withdrawn: its recipient's data was erased).</param>
/// <param name="Attempts">Delivery attempts so far.</param>
/// <param name="LastError">The last attempt's failure, if any.</param>
/// <param name="DeliveredAt">When it was delivered, if it was.</param>
public sealed record SideEffect(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset? DeliveredAt);

/// <summary>One of the platform's category pairs the service can translate.</summary>
/// <param name="PartnerVerticalId">The vertical in the platform's taxonomy.</param>
/// <param name="PartnerSubVerticalId">The sub-vertical in the platform's taxonomy.</param>
/// <param name="PartnerVerticalName">The vertical's name, if loaded.</param>
/// <param name="PartnerSubVerticalName">The sub-vertical's name, if loaded.</param>
public sealed record VerticalMapping(
    [property: JsonPropertyName("partnerVerticalId")] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId")] long PartnerSubVerticalId,
    [property: JsonPropertyName("partnerVerticalName")] string? PartnerVerticalName,
    [property: JsonPropertyName("partnerSubVerticalName")] string? PartnerSubVerticalName);
