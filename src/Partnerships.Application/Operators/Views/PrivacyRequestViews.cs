using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

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
    public static PrivacyRequestAdminView From(PrivacyRequestRow r) => new(r.Id, r.PlatformId, r.RequestType,
        r.IdentifierKind, r.IdentifierHash, r.SealedIdentifier is not null, r.Status, r.CreatedAt, r.DeliveredAt, r.AcknowledgedAt, r.ErasedAt, r.EraseBy);
}

public sealed record PrivacyPurgeView([property: JsonPropertyName("erased")] int Erased);
