using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>One of a platform's accounts (merchants) as operators see it, whatever its relationship state.</summary>
public sealed record MerchantView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("brand")] string Brand,
    [property: JsonPropertyName("country_code")] string CountryCode,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("relationship_status")] string RelationshipStatus,
    [property: JsonPropertyName("created_at")] string CreatedAt);

public sealed record MerchantPageView(
    [property: JsonPropertyName("merchants")] IReadOnlyList<MerchantView> Merchants,
    [property: JsonPropertyName("has_more")] bool HasMore);
