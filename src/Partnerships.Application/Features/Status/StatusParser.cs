using System.Text.Json;
using Partnerships.Core.Accounts;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Status;

public static class StatusParser
{
    public static StatusBody Parse(JsonElement body)
    {
        var f = JsonFields.Root<StatusBody>(body);
        var status = f.RequiredEnum("status", SurfaceNames.Statuses);
        f.ThrowIfAny();
        return new StatusBody(status!.Value);
    }
}
