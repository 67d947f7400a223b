using Partnerships.Application.Pipeline;
using Partnerships.Application.ReferenceData;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Controls;

/// <summary>GET …/marketplacecontrolslists.</summary>
public static class GetMarketplaceControls
{
    public static async Task<MarketplaceControlsView> HandleAsync(Database db, MappingTableCache mappings, string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        // One statement brings the account, its controls and the mapping table's stamp, so a cached table costs no query of its own.
        var (account, row, mappingVersion) = await ControlsStore.GetAccountWithControlsAsync(s, accountId);
        Tenancy.Check(account, accountId, platformId);
        if (row is null) throw ApiError.NotFound($"Account {accountId} has no marketplace controls");
        var table = await mappings.GetAsync(s, platformId, mappingVersion);
        return MarketplaceControlsView.From(row, ControlsState.Of(row), table.Table);
    }
}
