using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Json;

namespace Partnerships.Application.Features.PayoutSetup;

/// <summary>POST …/payout-setup: where the provider's onboarding sends the merchant back to.</summary>
[Description("Opens (or, for the same Idempotency-Key, returns) the merchant's payout account and an onboarding link.")]
public sealed record PayoutSetupBody(
    [property: JsonPropertyName("return_url"), Required, StringLength(2048, MinimumLength = 1), Url,
        Description("Absolute http(s) URL the merchant returns to when onboarding is done.")] string ReturnUrl,
    [property: JsonPropertyName("refresh_url"), Required, StringLength(2048, MinimumLength = 1), Url,
        Description("Absolute http(s) URL the merchant is sent to when the onboarding link has expired.")] string RefreshUrl) : IRequestBody<PayoutSetupBody>
{
    public static PayoutSetupBody Example => new("https://acme-outdoor.example.com/payouts/done", "https://acme-outdoor.example.com/payouts/retry");
}
