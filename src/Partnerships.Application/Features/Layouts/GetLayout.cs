using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Layouts;

/// <summary>GET …/layouts/{layout_id}.</summary>
public static class GetLayout
{
    public static async Task<LayoutView> HandleAsync(Database db, string platformId, string accountId, string layoutId)
    {
        await using var s = await DbSession.ReadAsync(db);
        Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        var layout = await PageStore.GetLayoutAsync(s, accountId, layoutId) ?? throw ApiError.NotFound($"Layout {layoutId} not found on this account");
        return LayoutView.From(layout);
    }
}
