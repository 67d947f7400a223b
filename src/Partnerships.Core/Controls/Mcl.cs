using System.Text.Json.Serialization;

namespace Partnerships.Core.Controls;

[JsonConverter(typeof(JsonStringEnumConverter<Policy>))]
public enum Policy { Block, Allow }

/// <summary>One stored entry, in the PUT's shape (partner taxonomy).</summary>
public sealed record BlockedVertical(
    [property: JsonPropertyName("partnerVerticalId")] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId")] long PartnerSubVerticalId,
    [property: JsonPropertyName("policy")] Policy Policy,
    [property: JsonPropertyName("position1Policy")] Policy Position1Policy);

public sealed record DomainRule(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("policy")] Policy Policy);

/// <summary>Canonical stored state: verticals sorted by (vertical, sub-vertical), domains ordinally, exact duplicates collapsed.</summary>
public sealed record MclState(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("blockedVerticals")] IReadOnlyList<BlockedVertical> BlockedVerticals,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainRule> Domains)
{
    public static MclState Empty { get; } = new("", [], []);
}

/// <summary>A parsed PUT: the canonical state, the optional concurrency hash, and for each canonical entry its index in the request.</summary>
public sealed record MclPutRequest(MclState State, string? ContentHash, IReadOnlyList<int> SourceIndexes);

/// <summary>A row of the platform's mapping table, as the domain sees it.</summary>
public sealed record MappingRow(long PartnerVerticalId, long PartnerSubVerticalId, string? Name, long NetworkSubVerticalId);

public sealed record TranslatedBlock(BlockedVertical Entry, long NetworkSubVerticalId);

/// <summary>"translatedVerticals": the stored entries in seed 001's recipe field names.</summary>
public sealed record TranslatedVertical(
    [property: JsonPropertyName("partner_vertical_id")] long PartnerVerticalId,
    [property: JsonPropertyName("partner_sub_vertical_id")] long PartnerSubVerticalId,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("policy")] Policy Policy,
    [property: JsonPropertyName("position_1_policy")] Policy Position1Policy);

/// <summary>"translated_verticals": seed 004's view, one entry per mapping row with its effective policy.</summary>
public sealed record EffectiveVertical(
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("partner_vertical_id")] long PartnerVerticalId,
    [property: JsonPropertyName("policy")] Policy Policy,
    [property: JsonPropertyName("position_1_policy")] Policy Position1Policy);
