using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Layouts;

/// <summary>How one page is drawn.</summary>
public sealed record LayoutView(
    [property: JsonPropertyName("layoutId")] string LayoutId,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("pageId")] string PageId,
    [property: JsonPropertyName("layoutType")] string LayoutType,
    [property: JsonPropertyName("primaryColor")] string PrimaryColor,
    [property: JsonPropertyName("backgroundColor")] string BackgroundColor,
    [property: JsonPropertyName("textColor")] string TextColor,
    [property: JsonPropertyName("closeButtonColor")] string CloseButtonColor,
    [property: JsonPropertyName("borderRadius")] long BorderRadius,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt)
{
    public static LayoutView From(LayoutRow l) => new(l.Id, l.AccountId, l.PageId, l.LayoutType, l.PrimaryColor, l.BackgroundColor,
        l.TextColor, l.CloseButtonColor, l.BorderRadius, l.UpdatedAt);
}
