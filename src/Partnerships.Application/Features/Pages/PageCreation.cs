using Partnerships.Core.Accounts;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Pages;

/// <summary>Creates pages for registration and for POST …/pages alike.</summary>
public static class PageCreation
{
    /// <summary>
    /// One page, its default variant and its layout per entry. Their ids derive from the account and surface (a surface
    /// appears once per account), so a dry-run answers with exactly the ids the real write will create.
    /// </summary>
    public static async Task<IReadOnlyList<PageRow>> CreateAsync(DbSession s, AccountRow account, IReadOnlyList<PageBody> pages, DateTimeOffset now)
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
            await PageStore.InsertLayoutAsync(s, NewLayout(page, Secrets.DeterministicId($"layout:{page.Id}"), request.LayoutType, at, active: true));
            created.Add(page);
        }
        return created;
    }

    /// <summary>A layout of <paramref name="page"/> with the default theme.</summary>
    public static LayoutRow NewLayout(PageRow page, string id, LayoutType type, string at, bool active) => new()
    {
        Id = id, PageId = page.Id, AccountId = page.AccountId, LayoutType = SurfaceNames.Wire(type), PrimaryColor = "#1a73e8",
        BackgroundColor = "#ffffff", TextColor = "#202124", CloseButtonColor = "#5f6368", BorderRadius = 8, UpdatedAt = at, Active = active ? 1 : 0,
    };

    /// <summary>
    /// The id of the layout a page gets the first time it switches to <paramref name="type"/>. Derived from the page and
    /// the type (a page has one layout per type), so a dry-run names the layout the real switch will create. The layout
    /// a page is created with keeps its own id (<c>layout:{page}</c>), whatever its type.
    /// </summary>
    public static string SwitchedLayoutId(PageRow page, LayoutType type) => Secrets.DeterministicId($"layout:{page.Id}:{SurfaceNames.Wire(type)}");
}
