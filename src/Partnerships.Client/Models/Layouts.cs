using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>The styling of one page's placement.</summary>
/// <param name="LayoutId">The layout's id.</param>
/// <param name="AccountId">The account's id.</param>
/// <param name="PageId">The page it styles.</param>
/// <param name="LayoutType"><c>Overlay</c> or <c>Embedded</c>.</param>
/// <param name="Active">Whether the page is drawn with this layout now (a page keeps one layout per layout type it has had).</param>
/// <param name="PrimaryColor">Lower-case <c>#rrggbb</c>.</param>
/// <param name="BackgroundColor">Lower-case <c>#rrggbb</c>.</param>
/// <param name="TextColor">Lower-case <c>#rrggbb</c>.</param>
/// <param name="CloseButtonColor">Lower-case <c>#rrggbb</c>.</param>
/// <param name="BorderRadius">Pixels, 0–64.</param>
/// <param name="UpdatedAt">When the layout last changed.</param>
public sealed record Layout(
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
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt);

/// <summary>
/// A sparse layout change: only the properties set are sent; a property left null is not sent and keeps its value
/// (the service refuses an explicit <c>null</c>, so one is never sent).
/// </summary>
public sealed record LayoutUpdate
{
    /// <summary><c>#rgb</c> or <c>#rrggbb</c>.</summary>
    [JsonPropertyName("primaryColor")] public string? PrimaryColor { get; init; }
    /// <summary><c>#rgb</c> or <c>#rrggbb</c>.</summary>
    [JsonPropertyName("backgroundColor")] public string? BackgroundColor { get; init; }
    /// <summary><c>#rgb</c> or <c>#rrggbb</c>.</summary>
    [JsonPropertyName("textColor")] public string? TextColor { get; init; }
    /// <summary><c>#rgb</c> or <c>#rrggbb</c>.</summary>
    [JsonPropertyName("closeButtonColor")] public string? CloseButtonColor { get; init; }
    /// <summary>Pixels, 0–64.</summary>
    [JsonPropertyName("borderRadius")] public int? BorderRadius { get; init; }
}
