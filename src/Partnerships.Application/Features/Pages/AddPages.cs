using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Accounts;
using Partnerships.Core.Errors;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Pages;

/// <summary>POST …/pages: adds surfaces the account does not have yet.</summary>
public static class AddPages
{
    public static readonly WriteRoute Route = new("pages.add", SupportsDryRun: true, RequiresIdempotencyKey: true, AccountScoped: true);

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx)
    {
        var pages = PagesParser.Parse(ctx.Body).Pages;
        var s = ctx.Session;
        var account = ctx.RequiredAccount;
        var existing = (await PageStore.ListPagesAsync(s, account.Id)).Select(p => p.Surface).ToHashSet();
        var clashes = pages.Select((p, i) => (Wire: SurfaceNames.Wire(p.Surface), i)).Where(p => existing.Contains(p.Wire))
            .Select(p => new FieldIssue($"pages[{p.i}].surface", $"the account already has a {p.Wire} page")).ToArray();
        if (clashes.Length > 0)
        {
            throw ApiError.Conflict("The account already has a page for this surface", ErrorReasons.SurfaceExists, clashes);
        }
        var created = await PageCreation.CreateAsync(s, account, pages, ctx.Now);
        var layouts = await PageStore.ListLayoutsAsync(s, account.Id);
        var added = new PagesAddedView(account.Id, PageView.List(created, layouts));
        ctx.Emit(EventTypes.PagesAdded, account.Id, added);
        return new WriteOutcome(201, added, $"added pages: {string.Join(", ", created.Select(p => p.Surface))}");
    }
}
