using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Pages;

/// <summary>
/// A page as GET and PUT …/pages/{page_id} show it: the layout type it is drawn with and that layout's id, and every
/// layout it keeps (one per layout type it has had), so switching back finds the theme it had.
/// </summary>
public sealed record PageDetailView(
    [property: JsonPropertyName("page_id")] string PageId,
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("page_identifier")] string PageIdentifier,
    [property: JsonPropertyName("layout_type")] string LayoutType,
    [property: JsonPropertyName("layout_id")] string LayoutId,
    [property: JsonPropertyName("layouts")] IReadOnlyList<PageLayoutEntry> Layouts)
{
    /// <param name="layouts">The page's layouts; exactly one is active.</param>
    public static PageDetailView From(PageRow page, IReadOnlyList<LayoutRow> layouts)
    {
        var active = layouts.Single(l => l.IsActive);
        return new(page.Id, page.AccountId, page.Surface, page.PageIdentifier, active.LayoutType, active.Id,
            layouts.OrderBy(l => l.LayoutType, StringComparer.Ordinal).Select(l => new PageLayoutEntry(l.LayoutType, l.Id)).ToList());
    }
}

/// <summary>One layout a page keeps: its type and id (GET or PATCH it at …/layouts/{layout_id}, active or not).</summary>
public sealed record PageLayoutEntry(
    [property: JsonPropertyName("layout_type")] string LayoutType,
    [property: JsonPropertyName("layout_id")] string LayoutId);
