using System.Text.Json;
using Partnerships.Core.Accounts;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Pages;

public static class PagesParser
{
    /// <summary>One page per surface, so never more than there are surfaces.</summary>
    public const int MaxPages = 3;

    public static PagesBody Parse(JsonElement body)
    {
        var f = JsonFields.Root<PagesBody>(body);
        var pages = f.IsObject ? ParseList(f, "pages", required: true) : [];
        f.ThrowIfAny();
        return new PagesBody(pages);
    }

    internal static IReadOnlyList<PageBody> ParseList(JsonFields f, string name, bool required)
    {
        var result = new List<PageBody>();
        JsonElement array;
        if (!f.TryGet(name, out array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required) f.Add(name, "is required: a non-empty list of {surface, layout_type}");
            return result;
        }
        if (array.ValueKind != JsonValueKind.Array) { f.Add(name, "must be an array"); return result; }
        if (array.GetArrayLength() > MaxPages)
        {
            f.Add(name, $"must have at most {MaxPages} items (one per surface); it has {array.GetArrayLength()}");
            return result;
        }
        if (required && array.GetArrayLength() == 0) { f.Add(name, "must contain at least one page"); return result; }
        var seen = new HashSet<Surface>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{name}[{i}]";
            var entry = f.Nested<PageBody>(path, item);
            if (entry is not null)
            {
                var surface = entry.RequiredEnum("surface", SurfaceNames.Surfaces);
                var layout = entry.RequiredEnum("layout_type", SurfaceNames.LayoutTypes);
                if (surface is { } s && !seen.Add(s)) f.Add(path + ".surface", $"{SurfaceNames.Wire(s)} appears twice");
                else if (surface is { } s2 && layout is { } l) result.Add(new PageBody(s2, l));
            }
            i++;
        }
        return result;
    }
}
