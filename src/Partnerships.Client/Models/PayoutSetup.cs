using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>The body of the payout-setup POST: where the provider's onboarding sends the merchant back.</summary>
/// <param name="ReturnUrl">Where the merchant lands after onboarding.</param>
/// <param name="RefreshUrl">Where the merchant lands when the onboarding link has expired.</param>
public sealed record PayoutSetupRequest(
    [property: JsonPropertyName("return_url")] string ReturnUrl,
    [property: JsonPropertyName("refresh_url")] string RefreshUrl);

/// <summary>An account's payout setup: the provider's connected account and its onboarding link.</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="Provider">The payment provider.</param>
/// <param name="ProviderAccountId">The connected account at the provider.</param>
/// <param name="OnboardingUrl">The link the merchant follows to finish onboarding.</param>
/// <param name="OnboardingUrlExpiresAt">When the link expires, if known.</param>
/// <param name="Status">The setup's status.</param>
/// <param name="CreatedAt">When the setup was created.</param>
public sealed record PayoutSetup(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("providerAccountId")] string ProviderAccountId,
    [property: JsonPropertyName("onboardingUrl")] string OnboardingUrl,
    [property: JsonPropertyName("onboardingUrlExpiresAt")] DateTimeOffset? OnboardingUrlExpiresAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt);
