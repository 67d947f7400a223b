using Partnerships.Application.Features.Pages;
using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;
using Partnerships.Application.Features.Controls;

namespace Partnerships.Application.Features.Registration;

/// <summary>POST /v1/accounts/register/partnership. Idempotent by external_account_id, so no dry-run and no key required.</summary>
public static class RegisterAccount
{
    public static readonly WriteRoute Route = new("account.register", SupportsDryRun: false, RequiresIdempotencyKey: false, AccountScoped: false)
    {
        BodyPlatformField = "platform_parent_account_id",
    };

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx)
    {
        var request = RegistrationParser.Parse(ctx.Body);
        var s = ctx.Session;
        if (request.PlatformParentAccountId != ctx.PlatformId)
        {
            throw Tenancy.PlatformMismatch("platform_parent_account_id");
        }

        // Translate before anything is created: an unmapped category never leaves a half-registered merchant behind.
        var mapping = await MappingStore.FindAsync(s, ctx.PlatformId, request.VerticalId, request.SubVerticalId);
        if (mapping is null)
        {
            throw ApiError.BadRequest(new FieldIssue("sub_vertical_id",
                $"sub_vertical_id {request.SubVerticalId} (vertical_id {request.VerticalId}) has no partnership vertical mapping"));
        }

        var existing = await AccountStore.FindByExternalIdAsync(s, ctx.PlatformId, request.ExternalAccountId);
        if (existing is not null)
        {
            if (!string.Equals(existing.StoreIdentifier, request.StoreIdentifier, StringComparison.Ordinal))
            {
                throw ApiError.Conflict($"external_account_id {request.ExternalAccountId} is already registered with a different store_identifier", ErrorReasons.ExternalAccountIdTaken,
                    new FieldIssue("store_identifier", $"differs from the registered {existing.StoreIdentifier}"));
            }
            return new WriteOutcome(200, await ViewAsync(s, existing), "registration repeated; original account returned")
            {
                CreatedAccountId = existing.Id,
            };
        }

        var now = Database.Timestamp(ctx.Now);
        var account = new AccountRow
        {
            Id = Guid.NewGuid().ToString(), PlatformId = ctx.PlatformId, ExternalAccountId = request.ExternalAccountId, Brand = request.Brand,
            PartnerVerticalId = request.VerticalId, PartnerSubVerticalId = request.SubVerticalId, NetworkSubVerticalId = mapping.NetworkSubVerticalId,
            CountryCode = request.CountryCode, StoreIdentifier = request.StoreIdentifier, ContactEmail = request.ContactEmail,
            Status = "active", RelationshipStatus = "active", CreatedAt = now, UpdatedAt = now,
        };
        await AccountStore.InsertAsync(s, account);
        // Named from the brand, not left empty: the PUT requires a name, so a GET→PUT of a new merchant's controls must show one.
        var initial = MclState.Empty with { Name = DefaultControlsName.For(account.Brand) };
        await ControlsStore.InsertAsync(s, new ControlsRow
        {
            AccountId = account.Id, MclId = Secrets.DeterministicId("mcl:" + account.Id), Name = initial.Name,
            StateJson = ControlsState.ToJson(initial), NetworkJson = "[]", Revision = 0, ContentHash = ContentHash.Compute(0, initial), UpdatedAt = now,
        });
        var pages = request.Pages ?? [];
        await PageCreation.CreateAsync(s, account, pages, ctx.Now);
        var view = await ViewAsync(s, account);
        ctx.Emit(EventTypes.AccountRegistered, account.Id, new
        {
            account_id = account.Id, external_account_id = account.ExternalAccountId, brand = account.Brand, vertical_id = account.PartnerVerticalId,
            sub_vertical_id = account.PartnerSubVerticalId, country_code = account.CountryCode, store_identifier = account.StoreIdentifier,
            contact_email = account.ContactEmail, status = account.Status, pages = view.Pages,
        });
        return new WriteOutcome(201, view, $"registered account {account.Id} ({pages.Count} pages)")
        {
            CreatedAccountId = account.Id,
        };
    }

    private static async Task<RegistrationView> ViewAsync(DbSession s, AccountRow account) => new(account.Id, account.ExternalAccountId, account.Status,
        PageView.List(await PageStore.ListPagesAsync(s, account.Id), await PageStore.ListLayoutsAsync(s, account.Id)));
}
