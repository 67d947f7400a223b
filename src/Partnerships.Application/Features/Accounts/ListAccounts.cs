using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Accounts;

/// <summary>GET /v1/partnership/accounts: the token's platform's merchants whose relationship is active, newest first, a page at a time.</summary>
public static class ListAccounts
{
    public static async Task<AccountListView> HandleAsync(Database db, string platformId, AccountListQuery query)
    {
        await using var s = await DbSession.ReadAsync(db);
        AccountRow? after = null;
        if (query.StartingAfter is { } cursor)
        {
            // As Stripe does: a cursor that is not an object of this list is refused, never read as "from the start".
            after = await AccountStore.GetAsync(s, cursor);
            if (after is null || after.PlatformId != platformId || after.RelationshipStatus != "active")
            {
                throw ApiError.Field("starting_after", "is not the account_id of an account in this list");
            }
        }
        var rows = await AccountStore.ListPageAsync(s, platformId, query.Limit + 1, after, query.ExternalAccountId, query.Status);
        var page = rows.Take(query.Limit).ToList();
        var ids = page.Select(a => a.Id).ToList();
        var pages = (await PageStore.ListPagesOfAsync(s, ids)).ToLookup(p => p.AccountId);
        var layouts = (await PageStore.ListLayoutsOfAsync(s, ids)).ToLookup(l => l.AccountId);
        return new AccountListView(page.Select(a => AccountView.From(a, pages[a.Id].ToList(), layouts[a.Id].ToList())).ToList(), rows.Count > query.Limit);
    }
}
