using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Accounts;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Status;

/// <summary>PUT …/status: sets the account's status and cascades it to every page variant.</summary>
public static class PutStatus
{
    public static readonly WriteRoute Route = new("account.status.update", SupportsDryRun: true, RequiresIdempotencyKey: true, AccountScoped: true);

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx)
    {
        var status = SurfaceNames.Wire(StatusParser.Parse(ctx.Body).Status);
        var s = ctx.Session;
        var account = ctx.RequiredAccount;
        var before = account.Status;
        if (before != status)
        {
            await AccountStore.SetStatusAsync(s, account.Id, status, ctx.Now);
        }
        // The cascade runs even on an unchanged status so variants that drifted follow the account again.
        var cascaded = await PageStore.CascadeVariantStatusAsync(s, account.Id, status, ctx.Now);
        account.Status = status;
        var variants = await PageStore.ListVariantsAsync(s, account.Id);
        var view = StatusView.From(account, variants);
        if (before != status || cascaded > 0)
        {
            ctx.Emit(EventTypes.AccountStatusUpdated, account.Id, new
            {
                account_id = account.Id, brand = account.Brand, contact_email = account.ContactEmail, status, previous_status = before, variants = view.Variants,
            });
        }
        return new WriteOutcome(200, view, $"status {before} -> {status}; {cascaded} variants cascaded");
    }
}
