using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>A brand-safety policy.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Policy>))]
public enum Policy
{
    /// <summary>Block the category or domain.</summary>
    Block,
    /// <summary>Allow the category or domain.</summary>
    Allow,
}

/// <summary>One blocked (or explicitly allowed) category pair in the platform's taxonomy.</summary>
/// <param name="PartnerVerticalId">The vertical in the platform's taxonomy.</param>
/// <param name="PartnerSubVerticalId">The sub-vertical in the platform's taxonomy.</param>
/// <param name="Policy">The policy for every position.</param>
/// <param name="Position1Policy">The policy for the first position; when null on a write it is not sent and defaults to <paramref name="Policy"/>.</param>
public sealed record BlockedVertical(
    [property: JsonPropertyName("partnerVerticalId")] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId")] long PartnerSubVerticalId,
    [property: JsonPropertyName("policy")] Policy Policy,
    [property: JsonPropertyName("position1Policy")] Policy? Position1Policy = null);

/// <summary>A domain rule: a host name and its policy.</summary>
/// <param name="Domain">The host name (the service normalises it: lower case, punycode).</param>
/// <param name="Policy">The policy.</param>
public sealed record DomainRule(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("policy")] Policy Policy);

/// <summary>A stored pair with the network vertical it translates to.</summary>
/// <param name="PartnerVerticalId">The vertical in the platform's taxonomy.</param>
/// <param name="PartnerSubVerticalId">The sub-vertical in the platform's taxonomy.</param>
/// <param name="VerticalId">The sub-vertical as the platform's mapping names it.</param>
/// <param name="Policy">The policy.</param>
/// <param name="Position1Policy">The first-position policy.</param>
public sealed record TranslatedVertical(
    [property: JsonPropertyName("partner_vertical_id")] long PartnerVerticalId,
    [property: JsonPropertyName("partner_sub_vertical_id")] long PartnerSubVerticalId,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("policy")] Policy Policy,
    [property: JsonPropertyName("position_1_policy")] Policy Position1Policy);

/// <summary>The effective policy of one mapping row of the platform.</summary>
/// <param name="VerticalId">The partner sub-vertical of the mapping row.</param>
/// <param name="PartnerVerticalId">The partner vertical of the mapping row.</param>
/// <param name="Policy">The effective policy.</param>
/// <param name="Position1Policy">The effective first-position policy.</param>
public sealed record EffectiveVertical(
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("partner_vertical_id")] long PartnerVerticalId,
    [property: JsonPropertyName("policy")] Policy Policy,
    [property: JsonPropertyName("position_1_policy")] Policy Position1Policy);

/// <summary>An account's marketplace controls list as stored.</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="MarketplaceControlsListId">The list's id.</param>
/// <param name="Name">The list's name.</param>
/// <param name="BlockedVerticals">The stored pairs, in the shape a PUT sends them.</param>
/// <param name="TranslatedVerticals">The stored pairs with their translation.</param>
/// <param name="EffectiveVerticals">One entry per mapping row of the platform with its effective policy (<c>translated_verticals</c>).</param>
/// <param name="Domains">The domain rules.</param>
/// <param name="ContentHash">The opaque version of the list; send it back to guard a PUT against a concurrent change.</param>
/// <param name="UpdatedAt">When the list last changed.</param>
public sealed record MarketplaceControls(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("marketplaceControlsListId")] string MarketplaceControlsListId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("blockedVerticals")] IReadOnlyList<BlockedVertical> BlockedVerticals,
    [property: JsonPropertyName("translatedVerticals")] IReadOnlyList<TranslatedVertical> TranslatedVerticals,
    [property: JsonPropertyName("translated_verticals")] IReadOnlyList<EffectiveVertical> EffectiveVerticals,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainRule> Domains,
    [property: JsonPropertyName("contentHash")] string ContentHash,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt)
{
    /// <summary>The whole current state as a PUT body guarded by this version's <see cref="ContentHash"/>: change it with <c>with</c>.</summary>
    public MarketplaceControlsUpdate ToUpdate() => new(Name, BlockedVerticals, Domains, ContentHash);
}

/// <summary>
/// The body of the controls PUT: the whole desired state (what is not listed is removed; an empty list clears).
/// </summary>
/// <param name="Name">The list's name.</param>
/// <param name="BlockedVerticals">Every pair of the desired state.</param>
/// <param name="Domains">Every domain rule of the desired state.</param>
/// <param name="ContentHash">When set, the PUT applies only if the list is still at this version (else a 409 with reason <c>content_hash_stale</c>); not sent when null.</param>
public sealed record MarketplaceControlsUpdate(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("blockedVerticals")] IReadOnlyList<BlockedVertical> BlockedVerticals,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainRule> Domains,
    [property: JsonPropertyName("contentHash")] string? ContentHash = null);
