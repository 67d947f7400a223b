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
}
