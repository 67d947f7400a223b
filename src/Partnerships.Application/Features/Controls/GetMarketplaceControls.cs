using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Controls;

/// <summary>GET …/marketplacecontrolslists.</summary>
public static class GetMarketplaceControls
{
    public static async Task<MarketplaceControlsView> HandleAsync(Database db, string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        var row = await ControlsStore.GetAsync(s, accountId) ?? throw ApiError.NotFound($"Account {accountId} has no marketplace controls");
        var mappings = ControlsState.Mappings(await MappingStore.ListAsync(s, platformId));
        return MarketplaceControlsView.From(row, ControlsState.Of(row), mappings);
    }
}
