using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.PayoutSetup;

/// <summary>A merchant's payout account with the provider and the onboarding link to finish it.</summary>
public sealed record PayoutSetupView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("providerAccountId")] string ProviderAccountId,
    [property: JsonPropertyName("onboardingUrl")] string OnboardingUrl,
    [property: JsonPropertyName("onboardingUrlExpiresAt")] string? OnboardingUrlExpiresAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("createdAt")] string CreatedAt)
{
    public static PayoutSetupView From(PayoutSetupRow r) =>
        new(r.AccountId, "stripe", r.ProviderAccount, r.OnboardingUrl, r.ExpiresAt, r.Status, r.CreatedAt);
}
