using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Layouts;

/// <summary>PATCH …/layouts/{layout_id}: changes only the fields sent.</summary>
public static class PatchLayout
{
    public static readonly WriteRoute Route = new("layout.update", SupportsDryRun: true, RequiresIdempotencyKey: true, AccountScoped: true);

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx, string layoutId)
    {
        var patch = LayoutPatchParser.Parse(ctx.Body);
        var s = ctx.Session;
        var layout = await PageStore.GetLayoutAsync(s, ctx.RequiredAccount.Id, layoutId)
            ?? throw ApiError.NotFound($"Layout {layoutId} not found on this account");
        layout.PrimaryColor = patch.PrimaryColor.GetValueOrDefault(layout.PrimaryColor)!;
        layout.BackgroundColor = patch.BackgroundColor.GetValueOrDefault(layout.BackgroundColor)!;
        layout.TextColor = patch.TextColor.GetValueOrDefault(layout.TextColor)!;
        layout.CloseButtonColor = patch.CloseButtonColor.GetValueOrDefault(layout.CloseButtonColor)!;
        layout.BorderRadius = patch.BorderRadius.IsSet ? patch.BorderRadius.Value : layout.BorderRadius;
        layout.UpdatedAt = Database.Timestamp(ctx.Now);
        await PageStore.UpdateLayoutAsync(s, layout);
        var view = LayoutView.From(layout);
        ctx.Emit(EventTypes.LayoutUpdated, layout.AccountId, view);
        return new WriteOutcome(200, view, $"layout {layoutId} updated");
    }
}
