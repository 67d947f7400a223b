using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Api.Features;

// The operators' wire shapes: what the admin routes put in the envelope's data, and their two small JSON bodies.
// One record per shape, so the serialised answer and the OpenAPI document come from the same declaration.

public sealed record CreatePlatformBody(
    [property: JsonPropertyName("name"), System.ComponentModel.DataAnnotations.Required] string Name);

public sealed record WebhookUrlBody(
    [property: JsonPropertyName("url"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.StringLength(2048, MinimumLength = 1),
        System.ComponentModel.Description("A public https URL without user name or password; internal and special-purpose hosts are refused.")] string Url);

public sealed record RateLimitBody(
    [property: JsonPropertyName("per_minute"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.Range(1, Partnerships.Application.Operators.RateLimitSettings.MaxPerMinute),
        System.ComponentModel.Description("Requests a platform may send in any 60 seconds under this policy.")] long PerMinute);

public sealed record PlatformView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] string CreatedAt);

public sealed record IssuedCredentialView(
    [property: JsonPropertyName("credential_id")] string CredentialId,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret,
    [property: JsonPropertyName("previous_secret_expires_at")] string? PreviousSecretExpiresAt,
    [property: JsonPropertyName("note")] string Note);

public sealed record CredentialView(
    [property: JsonPropertyName("credential_id")] string CredentialId,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("revoked_at")] string? RevokedAt);

public sealed record CredentialRevokedView(
    [property: JsonPropertyName("credential_id")] string CredentialId,
    [property: JsonPropertyName("revoked")] bool Revoked);

public sealed record MappingLoadView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("loaded")] int Loaded,
    [property: JsonPropertyName("inserted")] int Inserted,
    [property: JsonPropertyName("updated")] int Updated);

public sealed record AdminMappingView(
    [property: JsonPropertyName("partner_vertical_id")] long PartnerVerticalId,
    [property: JsonPropertyName("partner_sub_vertical_id")] long PartnerSubVerticalId,
    [property: JsonPropertyName("partner_vertical_name")] string? PartnerVerticalName,
    [property: JsonPropertyName("partner_sub_vertical_name")] string? PartnerSubVerticalName,
    [property: JsonPropertyName("network_category_id")] long NetworkCategoryId,
    [property: JsonPropertyName("network_sub_vertical_id")] long NetworkSubVerticalId,
    [property: JsonPropertyName("updated_at")] string UpdatedAt);

public sealed record NetworkCategoryView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("parent_id")] long? ParentId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tier")] long Tier,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("sub_vertical_id")] long? SubVerticalId);

public sealed record TaxonomyLoadView([property: JsonPropertyName("loaded")] int Loaded);

public sealed record RelationshipView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("relationship_status")] string RelationshipStatus);

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
    [property: JsonPropertyName("delivered_at")] string? DeliveredAt);

public sealed record OutboxReplayView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("status")] string Status);

public sealed record EventView(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("payload")] JsonElement Payload);

public sealed record EventPageView(
    [property: JsonPropertyName("events")] IReadOnlyList<EventView> Events,
    [property: JsonPropertyName("next_cursor")] long NextCursor);

public sealed record IssuedAdminKeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("admin_key")] string AdminKey,
    [property: JsonPropertyName("note")] string Note);

public sealed record AdminKeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("rotated_at")] string? RotatedAt,
    [property: JsonPropertyName("revoked_at")] string? RevokedAt);

public sealed record AuditEntryView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("platform_id")] string? PlatformId,
    [property: JsonPropertyName("credential_id")] string? CredentialId,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] long Status,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("idempotency_key")] string? IdempotencyKey,
    [property: JsonPropertyName("hash_before")] string? HashBefore,
    [property: JsonPropertyName("hash_after")] string? HashAfter,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("actor")] string? Actor,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("target")] string? Target,
    [property: JsonPropertyName("before"), System.ComponentModel.Description("A JSON summary of the target before the action.")] JsonElement? Before,
    [property: JsonPropertyName("after"), System.ComponentModel.Description("A JSON summary of the target after the action.")] JsonElement? After);

public sealed record SigningKeyView(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("retired_at")] string? RetiredAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("verifies_until")] string? VerifiesUntil);

/// <summary>One row of a vertical-mapping load as JSON (the body is one such object or an array of them; a CSV load names the same columns in snake_case).</summary>
public sealed record MappingRowBody(
    [property: JsonPropertyName("partnerVerticalId"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)] long PartnerSubVerticalId,
    [property: JsonPropertyName("partnerVerticalName")] string? PartnerVerticalName,
    [property: JsonPropertyName("partnerSubVerticalName")] string? PartnerSubVerticalName,
    [property: JsonPropertyName("networkSubVerticalId"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.Description("A network sub-vertical (tier 2, or tier 3, which rolls up to its tier 2).")] long NetworkSubVerticalId);

/// <summary>A network privacy request as operators see it: its keyed hash and state, never the identifier.</summary>
public sealed record PrivacyRequestAdminView(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("request_type")] string RequestType,
    [property: JsonPropertyName("identifier_kind")] string IdentifierKind,
    [property: JsonPropertyName("identifier_hash"), System.ComponentModel.Description("HMAC-SHA256 of the identifier under a key derived from the service's secret key; an e-mail and its hashedEmail give the same hash.")] string IdentifierHash,
    [property: JsonPropertyName("identifier_held"), System.ComponentModel.Description("Whether the sealed identifier is still kept (until the pipeline takes the request, or the retention window ends).")] bool IdentifierHeld,
    [property: JsonPropertyName("status"), System.ComponentModel.Description("submitted, delivered (the pipeline answered 2xx), acknowledged, or expired (erased untaken after the retention window).")] string Status,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("delivered_at")] string? DeliveredAt,
    [property: JsonPropertyName("acknowledged_at")] string? AcknowledgedAt,
    [property: JsonPropertyName("erased_at")] string? ErasedAt,
    [property: JsonPropertyName("erase_by")] string EraseBy)
{
    public static PrivacyRequestAdminView From(Partnerships.Storage.Stores.PrivacyRequestRow r) => new(r.Id, r.PlatformId, r.RequestType,
        r.IdentifierKind, r.IdentifierHash, r.SealedIdentifier is not null, r.Status, r.CreatedAt, r.DeliveredAt, r.AcknowledgedAt, r.ErasedAt, r.EraseBy);
}
