using System.Text.Json.Serialization;
using Partnerships.Core.Controls;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Controls;

/// <summary>An account's marketplace controls in the partner's taxonomy, with the hash a PUT sends back.</summary>
public sealed record MarketplaceControlsView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("marketplaceControlsListId")] string MarketplaceControlsListId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("blockedVerticals")] IReadOnlyList<BlockedVertical> BlockedVerticals,
    [property: JsonPropertyName("translatedVerticals")] IReadOnlyList<TranslatedVertical> TranslatedVerticals,
    [property: JsonPropertyName("translated_verticals")] IReadOnlyList<EffectiveVertical> EffectiveVerticals,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainRule> Domains,
    [property: JsonPropertyName("contentHash")] string ContentHash,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt)
{
    public static MarketplaceControlsView From(ControlsRow row, MclState state, MappingTable mappings) => new(
        row.AccountId, row.MclId, state.Name, state.BlockedVerticals, MclViews.Translated(state), MclViews.Effective(state, mappings),
        state.Domains, row.ContentHash, row.UpdatedAt);
}
