using Partnerships.Application.Pipeline;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Accounts;

/// <summary>GET /v1/partnership/accounts/{account_id}.</summary>
public static class GetAccount
{
    public static async Task<AccountView> HandleAsync(Database db, string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var account = Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        return AccountView.From(account, await PageStore.ListPagesAsync(s, accountId), await PageStore.ListLayoutsAsync(s, accountId));
    }
}
