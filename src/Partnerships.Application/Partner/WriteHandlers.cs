using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Accounts;
using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Partner;

/// <summary>One handler per partner write. Each runs inside the write pipeline's transaction and knows nothing of HTTP.</summary>
public static class WriteHandlers
{
    public static readonly WriteRoute RegisterRoute = new("account.register", SupportsDryRun: false, RequiresIdempotencyKey: false, AccountScoped: false)
    {
        BodyPlatformField = "platform_parent_account_id",
    };
    public static readonly WriteRoute PutControlsRoute = new("marketplace_controls.update", true, true, true);
    public static readonly WriteRoute PutStatusRoute = new("account.status.update", true, true, true);
    public static readonly WriteRoute PatchLayoutRoute = new("layout.update", true, true, true);
    public static readonly WriteRoute AddPagesRoute = new("pages.add", true, true, true);

    public const string UnmappedRegistrationMessage = "No partnership vertical mapping exists for registration";

    public static async Task<WriteOutcome> RegisterAsync(WriteContext ctx)
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
            throw ApiError.BadRequest(UnmappedRegistrationMessage,
                new FieldIssue("sub_vertical_id", $"no mapping for vertical_id {request.VerticalId} / sub_vertical_id {request.SubVerticalId}"));
        }

        var existing = await AccountStore.FindByExternalIdAsync(s, ctx.PlatformId, request.ExternalAccountId);
        if (existing is not null)
        {
            if (!string.Equals(existing.StoreIdentifier, request.StoreIdentifier, StringComparison.Ordinal))
            {
                throw ApiError.Conflict($"external_account_id {request.ExternalAccountId} is already registered with a different store_identifier", ConflictReasons.ExternalAccountIdTaken,
                    new FieldIssue("store_identifier", $"differs from the registered {existing.StoreIdentifier}"));
            }
            return new WriteOutcome(200, await RegistrationViewAsync(s, existing), "registration repeated; original account returned")
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
        var empty = MclState.Empty;
        await ControlsStore.InsertAsync(s, new ControlsRow
        {
            AccountId = account.Id, MclId = Secrets.DeterministicId("mcl:" + account.Id), Name = empty.Name,
            StateJson = ViewMapping.StateToJson(empty), NetworkJson = "[]", Revision = 0, ContentHash = ContentHash.Compute(0, empty), UpdatedAt = now,
        });
        await CreatePagesAsync(s, account, request.Pages, ctx.Now);
        var view = await RegistrationViewAsync(s, account);
        ctx.Emit(EventTypes.AccountRegistered, account.Id, new
        {
            account_id = account.Id, external_account_id = account.ExternalAccountId, brand = account.Brand, vertical_id = account.PartnerVerticalId,
            sub_vertical_id = account.PartnerSubVerticalId, country_code = account.CountryCode, store_identifier = account.StoreIdentifier,
            contact_email = account.ContactEmail, status = account.Status, pages = view.Pages,
        });
        return new WriteOutcome(201, view, $"registered account {account.Id} ({request.Pages.Count} pages)")
        {
            CreatedAccountId = account.Id,
        };
    }

    public static async Task<WriteOutcome> PutControlsAsync(WriteContext ctx)
    {
        var s = ctx.Session;
        var mappingRows = await MappingStore.ListAsync(s, ctx.PlatformId);
        var request = MclPutParser.Parse(ctx.Body, maxBlockedVerticals: mappingRows.Count);
        var account = ctx.RequiredAccount;
        var mappings = ViewMapping.ToDomain(mappingRows);
        var translated = MclTranslator.Translate(request, mappings);

        var current = await ControlsStore.GetAsync(s, account.Id) ?? throw new InvalidOperationException($"Account {account.Id} has no controls list");
        if (ctx.Request.IfMatch is { } ifMatch && !IfMatchAllows(ifMatch, current.ContentHash))
        {
            throw ApiError.PreconditionFailed("If-Match does not match the current marketplace controls",
                new FieldIssue("If-Match", $"current ETag is {ViewMapping.ETag(current.ContentHash)}"));
        }
        if (request.ContentHash is { } sent && sent != current.ContentHash)
        {
            throw ApiError.Conflict("contentHash does not match the current marketplace controls; re-GET, re-apply your change and retry", ConflictReasons.ContentHashStale,
                new FieldIssue("contentHash", $"current contentHash is {current.ContentHash}"));
        }

        var before = ViewMapping.State(current);
        var next = request.State;
        var changed = ContentHash.CanonicalJson(before) != ContentHash.CanonicalJson(next);
        var row = current;
        if (changed)
        {
            row = new ControlsRow
            {
                AccountId = current.AccountId, MclId = current.MclId, Name = next.Name, StateJson = ViewMapping.StateToJson(next),
                NetworkJson = System.Text.Json.JsonSerializer.Serialize(translated.Select(t => new
                {
                    network_sub_vertical_id = t.NetworkSubVerticalId, partner_vertical_id = t.Entry.PartnerVerticalId,
                    partner_sub_vertical_id = t.Entry.PartnerSubVerticalId, policy = t.Entry.Policy.ToString(), position_1_policy = t.Entry.Position1Policy.ToString(),
                })),
                Revision = current.Revision + 1, ContentHash = ContentHash.Compute(current.Revision + 1, next), UpdatedAt = Database.Timestamp(ctx.Now),
            };
            if (await ControlsStore.UpdateAsync(s, row, current.Revision) != 1)
            {
                throw ApiError.Conflict("The marketplace controls changed during this write; re-GET and retry", ConflictReasons.ContentHashStale,
                    new FieldIssue("contentHash", "changed concurrently"));
            }
        }
        var controls = ViewMapping.Controls(row, next, mappings);
        if (changed) ctx.Emit(EventTypes.MarketplaceControlsUpdated, account.Id, controls);
        return new WriteOutcome(200, controls,
            changed ? $"controls set: {next.BlockedVerticals.Count} verticals, {next.Domains.Count} domains" : "no change")
        {
            ETag = ViewMapping.ETag(row.ContentHash), HashBefore = current.ContentHash, HashAfter = row.ContentHash,
        };
    }

    public static async Task<WriteOutcome> PutStatusAsync(WriteContext ctx)
    {
        var status = SurfaceNames.Wire(StatusParser.Parse(ctx.Body));
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
        var view = ViewMapping.Status(account, variants);
        if (before != status || cascaded > 0)
        {
            ctx.Emit(EventTypes.AccountStatusUpdated, account.Id, new
            {
                account_id = account.Id, brand = account.Brand, contact_email = account.ContactEmail, status, previous_status = before, variants = view.Variants,
            });
        }
        return new WriteOutcome(200, view, $"status {before} -> {status}; {cascaded} variants cascaded");
    }

    public static async Task<WriteOutcome> PatchLayoutAsync(WriteContext ctx, string layoutId)
    {
        var patch = LayoutPatchParser.Parse(ctx.Body);
        var s = ctx.Session;
        var layout = await PageStore.GetLayoutAsync(s, ctx.RequiredAccount.Id, layoutId)
            ?? throw ApiError.NotFound($"Layout {layoutId} not found on this account");
        layout.PrimaryColor = patch.PrimaryColor ?? layout.PrimaryColor;
        layout.BackgroundColor = patch.BackgroundColor ?? layout.BackgroundColor;
        layout.TextColor = patch.TextColor ?? layout.TextColor;
        layout.CloseButtonColor = patch.CloseButtonColor ?? layout.CloseButtonColor;
        layout.BorderRadius = patch.BorderRadius ?? layout.BorderRadius;
        layout.UpdatedAt = Database.Timestamp(ctx.Now);
        await PageStore.UpdateLayoutAsync(s, layout);
        var view = ViewMapping.Layout(layout);
        ctx.Emit(EventTypes.LayoutUpdated, layout.AccountId, view);
        return new WriteOutcome(200, view, $"layout {layoutId} updated");
    }

    public static async Task<WriteOutcome> AddPagesAsync(WriteContext ctx)
    {
        var pages = PagesParser.Parse(ctx.Body);
        var s = ctx.Session;
        var account = ctx.RequiredAccount;
        var existing = (await PageStore.ListPagesAsync(s, account.Id)).Select(p => p.Surface).ToHashSet();
        var clashes = pages.Select((p, i) => (Wire: SurfaceNames.Wire(p.Surface), i)).Where(p => existing.Contains(p.Wire))
            .Select(p => new FieldIssue($"pages[{p.i}].surface", $"the account already has a {p.Wire} page")).ToArray();
        if (clashes.Length > 0)
        {
            throw ApiError.Conflict("The account already has a page for this surface", ConflictReasons.SurfaceExists, clashes);
        }
        var created = await CreatePagesAsync(s, account, pages, ctx.Now);
        var layouts = await PageStore.ListLayoutsAsync(s, account.Id);
        var added = new { accountId = account.Id, pages = created.Select(p => ViewMapping.Page(p, layouts)).ToList() };
        ctx.Emit(EventTypes.PagesAdded, account.Id, added);
        return new WriteOutcome(201, added,
            $"added pages: {string.Join(", ", created.Select(p => p.Surface))}");
    }

    /// <summary>
    /// One page, its default variant and its layout per entry. Their ids derive from the account and surface (a surface
    /// appears once per account), so a dry-run answers with exactly the ids the real write will create.
    /// </summary>
    private static async Task<IReadOnlyList<PageRow>> CreatePagesAsync(DbSession s, AccountRow account, IReadOnlyList<PageRequest> pages, DateTimeOffset now)
    {
        var at = Database.Timestamp(now);
        var created = new List<PageRow>();
        foreach (var request in pages)
        {
            var surface = SurfaceNames.Wire(request.Surface);
            var page = new PageRow
            {
                Id = Secrets.DeterministicId($"page:{account.Id}:{surface}"), AccountId = account.Id, Surface = surface,
                PageIdentifier = SurfaceNames.PageIdentifier(request.Surface), CreatedAt = at,
            };
            await PageStore.InsertPageAsync(s, page);
            await PageStore.InsertVariantAsync(s, new PageVariantRow
            {
                Id = Secrets.DeterministicId($"variant:{page.Id}:default"), PageId = page.Id, AccountId = account.Id,
                Name = $"{surface} default", Status = account.Status, CreatedAt = at, UpdatedAt = at,
            });
            await PageStore.InsertLayoutAsync(s, new LayoutRow
            {
                Id = Secrets.DeterministicId($"layout:{page.Id}"), PageId = page.Id, AccountId = account.Id,
                LayoutType = SurfaceNames.Wire(request.LayoutType), PrimaryColor = "#1a73e8", BackgroundColor = "#ffffff",
                TextColor = "#202124", CloseButtonColor = "#5f6368", BorderRadius = 8, UpdatedAt = at,
            });
            created.Add(page);
        }
        return created;
    }

    private static async Task<RegistrationView> RegistrationViewAsync(DbSession s, AccountRow account)
    {
        var pages = await PageStore.ListPagesAsync(s, account.Id);
        var layouts = await PageStore.ListLayoutsAsync(s, account.Id);
        return new RegistrationView(account.Id, account.ExternalAccountId, account.Status, pages.Select(p => ViewMapping.Page(p, layouts)).ToList());
    }

    /// <summary>RFC 9110 If-Match with strong comparison: "*" or any listed entity tag equal to the current one.</summary>
    private static bool IfMatchAllows(string header, string contentHash)
    {
        var current = ViewMapping.ETag(contentHash);
        return header.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == current);
    }
}
