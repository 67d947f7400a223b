using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Accounts;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Pages;

/// <summary>
/// PUT …/pages/{page_id}: draws the page with the layout of the type sent. The page keeps the layout it leaves, theme and
/// all, so switching back returns to it; the first switch to a type creates that type's layout with the default theme.
/// </summary>
public static class SwitchPageLayout
{
    public static readonly WriteRoute Route = new("page.layout.switch", SupportsDryRun: true, RequiresIdempotencyKey: true, AccountScoped: true);

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx, string pageId)
    {
        var type = PageLayoutParser.Parse(ctx.Body).LayoutType;
        var s = ctx.Session;
        var page = await PageStore.GetPageAsync(s, ctx.RequiredAccount.Id, pageId) ?? throw GetPage.NotFound(pageId);
        var layouts = await PageStore.ListPageLayoutsAsync(s, page.Id);
        var before = layouts.Single(l => l.IsActive);
        var wire = SurfaceNames.Wire(type);
        if (before.LayoutType == wire)
        {
            // PUT-replace of the state the page already has: nothing changes, so nothing is announced.
            return new WriteOutcome(200, PageDetailView.From(page, layouts), $"page {page.Id} already {wire}");
        }
        var target = layouts.FirstOrDefault(l => l.LayoutType == wire);
        if (target is null)
        {
            target = PageCreation.NewLayout(page, PageCreation.SwitchedLayoutId(page, type), type, Database.Timestamp(ctx.Now), active: false);
            await PageStore.InsertLayoutAsync(s, target);
        }
        await PageStore.ActivateLayoutAsync(s, page.Id, target.Id);
        var view = PageDetailView.From(page, await PageStore.ListPageLayoutsAsync(s, page.Id));
        ctx.Emit(EventTypes.PageLayoutSwitched, page.AccountId, view);
        return new WriteOutcome(200, view, $"page {page.Id} switched {before.LayoutType} -> {wire} (layout {target.Id})");
    }
}
