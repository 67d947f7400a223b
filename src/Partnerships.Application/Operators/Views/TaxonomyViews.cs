using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

public sealed record NetworkCategoryView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("parent_id")] long? ParentId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("tier")] long Tier,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("sub_vertical_id")] long? SubVerticalId);

public sealed record TaxonomyLoadView([property: JsonPropertyName("loaded")] int Loaded);

public sealed record MappingLoadView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("loaded")] int Loaded,
    [property: JsonPropertyName("inserted")] int Inserted,
    [property: JsonPropertyName("updated")] int Updated);

/// <summary>One row of a platform's mapping table with its network ids (operators see network ids; partners never do).</summary>
public sealed record AdminMappingView(
    [property: JsonPropertyName("partner_vertical_id")] long PartnerVerticalId,
    [property: JsonPropertyName("partner_sub_vertical_id")] long PartnerSubVerticalId,
    [property: JsonPropertyName("partner_vertical_name")] string? PartnerVerticalName,
    [property: JsonPropertyName("partner_sub_vertical_name")] string? PartnerSubVerticalName,
    [property: JsonPropertyName("network_category_id")] long NetworkCategoryId,
    [property: JsonPropertyName("network_sub_vertical_id")] long NetworkSubVerticalId,
    [property: JsonPropertyName("updated_at")] string UpdatedAt);
