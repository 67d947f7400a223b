using System.Text.Json;
using Partnerships.Core.Accounts;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Pages;

public static class PageLayoutParser
{
    public static PageLayoutBody Parse(JsonElement body)
    {
        var f = JsonFields.Root<PageLayoutBody>(body);
        var type = f.RequiredEnum("layout_type", SurfaceNames.LayoutTypes);
        f.ThrowIfAny();
        return new PageLayoutBody(type!.Value);
    }
}
