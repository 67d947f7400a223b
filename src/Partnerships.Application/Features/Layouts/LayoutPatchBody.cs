using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Json;

namespace Partnerships.Application.Features.Layouts;

/// <summary>PATCH …/layouts/{layout_id}: a sparse change; an absent field keeps its value, and null is refused.</summary>
[Description("A sparse change: send at least one field; an absent field keeps its value and null is a 400 (omit the field instead). " +
    "Colours are stored as lower-case six-digit hex (#abc becomes #aabbcc).")]
public sealed record LayoutPatchBody(
    [property: JsonPropertyName("primaryColor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault),
        RegularExpression(LayoutPatchParser.HexColorPattern)] Optional<string> PrimaryColor,
    [property: JsonPropertyName("backgroundColor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault),
        RegularExpression(LayoutPatchParser.HexColorPattern)] Optional<string> BackgroundColor,
    [property: JsonPropertyName("textColor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault),
        RegularExpression(LayoutPatchParser.HexColorPattern)] Optional<string> TextColor,
    [property: JsonPropertyName("closeButtonColor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault),
        RegularExpression(LayoutPatchParser.HexColorPattern)] Optional<string> CloseButtonColor,
    [property: JsonPropertyName("borderRadius"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault),
        Range(LayoutPatchParser.MinBorderRadius, LayoutPatchParser.MaxBorderRadius), Description("Pixels.")] Optional<int> BorderRadius) : IRequestBody<LayoutPatchBody>
{
    public static LayoutPatchBody Example => new("#ff0000", default, default, default, 12);
}
