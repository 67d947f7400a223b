using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>How a page's placement is shown.</summary>
public enum LayoutType
{
    /// <summary>Over the page.</summary>
    Overlay,
    /// <summary>In the page.</summary>
    Embedded,
}

/// <summary>The body of the page PUT: the layout type to draw the page with.</summary>
internal sealed record PageLayoutBody([property: JsonPropertyName("layout_type"), JsonConverter(typeof(JsonStringEnumConverter<LayoutType>))] LayoutType LayoutType);

/// <summary>A page with the layout it is drawn with and every layout it keeps (one per layout type it has had).</summary>
/// <param name="PageId">The page's id.</param>
/// <param name="AccountId">The account's id.</param>
/// <param name="Surface">The surface the page is on.</param>
/// <param name="PageIdentifier">The identifier the storefront uses for the page.</param>
/// <param name="LayoutType">The active layout's type, <c>Overlay</c> or <c>Embedded</c>.</param>
/// <param name="LayoutId">The active layout's id.</param>
/// <param name="Layouts">Every layout of the page, active or not; each can be read and themed by its id.</param>
public sealed record PageDetail(
    [property: JsonPropertyName("page_id")] string PageId,
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("page_identifier")] string PageIdentifier,
    [property: JsonPropertyName("layout_type")] string LayoutType,
    [property: JsonPropertyName("layout_id")] string LayoutId,
    [property: JsonPropertyName("layouts")] IReadOnlyList<PageLayout> Layouts);

/// <summary>One layout a page keeps.</summary>
/// <param name="LayoutType"><c>Overlay</c> or <c>Embedded</c>.</param>
/// <param name="LayoutId">The layout's id (for <c>GetLayoutAsync</c> and <c>UpdateLayoutAsync</c>).</param>
public sealed record PageLayout(
    [property: JsonPropertyName("layout_type")] string LayoutType,
    [property: JsonPropertyName("layout_id")] string LayoutId);
