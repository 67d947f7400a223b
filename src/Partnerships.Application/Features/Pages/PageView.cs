using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Pages;

/// <summary>A page of an account with the layout it is drawn with (its active layout).</summary>
public sealed record PageView(
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("page_id")] string PageId,
    [property: JsonPropertyName("layout_id")] string LayoutId,
    [property: JsonPropertyName("page_identifier")] string PageIdentifier)
{
    public static PageView From(PageRow page, IEnumerable<LayoutRow> layouts) =>
        new(page.Surface, page.Id, layouts.First(l => l.PageId == page.Id && l.IsActive).Id, page.PageIdentifier);

    public static IReadOnlyList<PageView> List(IEnumerable<PageRow> pages, IReadOnlyList<LayoutRow> layouts) => pages.Select(p => From(p, layouts)).ToList();
}
