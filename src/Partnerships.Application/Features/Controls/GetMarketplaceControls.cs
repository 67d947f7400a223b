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
        Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        // The controls row brings the mapping table's stamp along, so a cached table costs no query of its own.
        var (row, mappingVersion) = await ControlsStore.GetWithMappingVersionAsync(s, accountId, platformId);
        if (row is null) throw ApiError.NotFound($"Account {accountId} has no marketplace controls");
        var table = await mappings.GetAsync(s, platformId, mappingVersion);
        return MarketplaceControlsView.From(row, ControlsState.Of(row), table.Table);
    }
}
