using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Pages;

/// <summary>GET …/pages/{page_id}.</summary>
public static class GetPage
{
    public static async Task<PageDetailView> HandleAsync(Database db, string platformId, string accountId, string pageId)
    {
        await using var s = await DbSession.ReadAsync(db);
        Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        var page = await PageStore.GetPageAsync(s, accountId, pageId) ?? throw NotFound(pageId);
        return PageDetailView.From(page, await PageStore.ListPageLayoutsAsync(s, page.Id));
    }

    internal static ApiError NotFound(string pageId) => ApiError.NotFound($"Page {pageId} not found on this account");
}
