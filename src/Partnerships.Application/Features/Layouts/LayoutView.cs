using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Layouts;

/// <summary>
/// How one page is drawn with one layout type. Its ids and type are named as the registration and page views name them
/// (<c>layout_id</c>, <c>page_id</c>); the theme tokens as the PATCH body names them. <c>active</c> says whether the page
/// is drawn with this layout now (a page keeps one layout per type it has had; see PUT …/pages/{page_id}).
/// </summary>
public sealed record LayoutView(
    [property: JsonPropertyName("layout_id")] string LayoutId,
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("page_id")] string PageId,
    [property: JsonPropertyName("layout_type")] string LayoutType,
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("primaryColor")] string PrimaryColor,
    [property: JsonPropertyName("backgroundColor")] string BackgroundColor,
    [property: JsonPropertyName("textColor")] string TextColor,
    [property: JsonPropertyName("closeButtonColor")] string CloseButtonColor,
    [property: JsonPropertyName("borderRadius")] long BorderRadius,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt)
{
    public static LayoutView From(LayoutRow l) => new(l.Id, l.AccountId, l.PageId, l.LayoutType, l.IsActive, l.PrimaryColor, l.BackgroundColor,
        l.TextColor, l.CloseButtonColor, l.BorderRadius, l.UpdatedAt);
}
