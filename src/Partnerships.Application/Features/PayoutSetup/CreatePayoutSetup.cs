using System.Text.Json;
using Partnerships.Application.Pipeline;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.PayoutSetup;

/// <summary>POST …/payout-setup: runs in phases around the provider call (<see cref="PayoutSetupExecutor"/>), so it has no dry-run.</summary>
public static class CreatePayoutSetup
{
    public static readonly WriteRoute Route = new("payout_setup.create", SupportsDryRun: false, RequiresIdempotencyKey: true, AccountScoped: true);

    internal static PayoutSetupBody Parse(JsonElement body)
    {
        var fields = JsonFields.Root<PayoutSetupBody>(body);
        string Url(string name)
        {
            var value = fields.RequiredString(name, max: 2048);
            if (value is null) return "";
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http") return uri.ToString();
            fields.Add(name, "must be an absolute http(s) URL");
            return "";
        }
        var result = new PayoutSetupBody(Url("return_url"), Url("refresh_url"));
        fields.ThrowIfAny();
        return result;
    }
}
