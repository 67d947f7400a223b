using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Accounts;
using Partnerships.Core.Json;

namespace Partnerships.Application.Features.Pages;

/// <summary>PUT …/pages/{page_id}: the layout type the page is drawn with.</summary>
[Description("Switches the page to a layout type. A page keeps one layout per layout type: switching to a type it has had " +
    "makes that layout, with its theme, active again; the first switch to a type creates its layout with the default theme. " +
    "Switching to the type already active changes nothing.")]
public sealed record PageLayoutBody(
    [property: JsonPropertyName("layout_type"), Required] LayoutType LayoutType) : IRequestBody<PageLayoutBody>
{
    public static PageLayoutBody Example => new(LayoutType.Embedded);
}
