using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>
/// One line of a previewed mapping CSV: <c>added</c> (a new pair), <c>changed</c> (the pair maps elsewhere now, or its
/// names differ), <c>unchanged</c>, or <c>refused</c> with the reason the admin upload would give.
/// </summary>
public sealed record MappingPreviewLine(
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("partner_vertical_id")] long? PartnerVerticalId,
    [property: JsonPropertyName("partner_sub_vertical_id")] long? PartnerSubVerticalId,
    [property: JsonPropertyName("partner_vertical_name")] string? PartnerVerticalName,
    [property: JsonPropertyName("partner_sub_vertical_name")] string? PartnerSubVerticalName,
    [property: JsonPropertyName("network_sub_vertical_id")] long? NetworkSubVerticalId,
    [property: JsonPropertyName("current_network_sub_vertical_id")] long? CurrentNetworkSubVerticalId,
    [property: JsonPropertyName("reason")] string? Reason);

/// <summary>
/// A mapping CSV checked against the platform's table and the network taxonomy, nothing written. <c>digest</c> names the
/// accepted rows exactly: a commit that finds other accepted rows (the file, the taxonomy or the table changed) is refused.
/// </summary>
public sealed record MappingPreviewView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("lines")] IReadOnlyList<MappingPreviewLine> Lines,
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("changed")] int Changed,
    [property: JsonPropertyName("unchanged")] int Unchanged,
    [property: JsonPropertyName("refused")] int Refused,
    [property: JsonPropertyName("digest")] string Digest);
