using System.Text.Json;
using System.Text.RegularExpressions;
using Partnerships.Core.Json;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Layouts;

public static partial class LayoutPatchParser
{
    public const string HexColorPattern = "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$";
    public const int MinBorderRadius = 0;
    public const int MaxBorderRadius = 64;

    public static LayoutPatchBody Parse(JsonElement body)
    {
        var f = JsonFields.Root<LayoutPatchBody>(body);
        var primary = Color(f, "primaryColor");
        var background = Color(f, "backgroundColor");
        var text = Color(f, "textColor");
        var closeButton = Color(f, "closeButtonColor");
        var radius = Optional<int>.Absent;
        if (f.TryGet("borderRadius", out var r))
        {
            if (r.ValueKind == JsonValueKind.Null) f.Add("borderRadius", "cannot be null; omit the field to keep its value");
            else if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out var n)) f.Add("borderRadius", "must be an integer number of pixels");
            else if (n is < MinBorderRadius or > MaxBorderRadius) f.Add("borderRadius", $"must be from {MinBorderRadius} to {MaxBorderRadius} pixels");
            else radius = n;
        }
        if (f.IsObject && !f.Element.EnumerateObject().Any())
        {
            f.Add("", "send at least one of " + string.Join(", ", WireShape<LayoutPatchBody>.Fields));
        }
        f.ThrowIfAny();
        return new LayoutPatchBody(primary, background, text, closeButton, radius);
    }

    private static Optional<string> Color(JsonFields f, string name)
    {
        if (!f.TryGet(name, out var v)) return Optional<string>.Absent;
        if (v.ValueKind == JsonValueKind.Null) { f.Add(name, "cannot be null; omit the field to keep its value"); return Optional<string>.Absent; }
        if (v.ValueKind != JsonValueKind.String || !HexColor().IsMatch(v.GetString()!)) { f.Add(name, "must be a hex colour like #1a73e8 or #fff"); return Optional<string>.Absent; }
        var hex = v.GetString()!.ToLowerInvariant();
        return hex.Length == 4 ? $"#{hex[1]}{hex[1]}{hex[2]}{hex[2]}{hex[3]}{hex[3]}" : hex;
    }

    [GeneratedRegex(HexColorPattern)]
    private static partial Regex HexColor();
}
