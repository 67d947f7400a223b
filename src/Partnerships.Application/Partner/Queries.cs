using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Partner;

/// <summary>Partner reads: same tenancy rules as writes, no transaction.</summary>
public sealed class Queries(Database db)
{
    public async Task<AccountView> AccountAsync(string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var account = Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        return ViewMapping.Account(account, await PageStore.ListPagesAsync(s, accountId), await PageStore.ListLayoutsAsync(s, accountId));
    }

    public async Task<MarketplaceControlsView> ControlsAsync(string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        var row = await ControlsStore.GetAsync(s, accountId) ?? throw ApiError.NotFound($"Account {accountId} has no marketplace controls");
        var mappings = ViewMapping.ToDomain(await MappingStore.ListAsync(s, platformId));
        return ViewMapping.Controls(row, ViewMapping.State(row), mappings);
    }

    public async Task<StatusView> StatusAsync(string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var account = Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        return ViewMapping.Status(account, await PageStore.ListVariantsAsync(s, accountId));
    }

    public async Task<LayoutView> LayoutAsync(string platformId, string accountId, string layoutId)
    {
        await using var s = await DbSession.ReadAsync(db);
        Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        var layout = await PageStore.GetLayoutAsync(s, accountId, layoutId) ?? throw ApiError.NotFound($"Layout {layoutId} not found on this account");
        return ViewMapping.Layout(layout);
    }

    public async Task<IReadOnlyList<PartnerMappingView>> MappingsAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await MappingStore.ListAsync(s, platformId))
            .Select(m => new PartnerMappingView(m.PartnerVerticalId, m.PartnerSubVerticalId, m.PartnerVerticalName, m.PartnerSubVerticalName)).ToList();
    }

    /// <summary>Another platform's operation is indistinguishable from a missing one (404), so ids leak nothing.</summary>
    public async Task<OperationView> OperationAsync(string platformId, string operationId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var op = await OperationStore.GetAsync(s, operationId);
        if (op is null || op.PlatformId != platformId)
        {
            throw ApiError.NotFound($"Operation {operationId} not found");
        }
        return ViewMapping.Operation(op, await OutboxStore.ForOperationAsync(s, operationId));
    }
}
