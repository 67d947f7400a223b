using System.Text.Json;
using System.Text.Json.Serialization;
using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Errors;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Partner;

/// <summary>What the payment provider needs to open a connected payout account for a merchant.</summary>
public sealed record PayoutAccountRequest(string AccountId, string CountryCode, string? Email, string StoreUrl, string Brand, string ReturnUrl, string RefreshUrl);

/// <summary>The provider's answer: its account id and the onboarding link the merchant follows.</summary>
public sealed record PayoutAccount(string ProviderAccountId, string OnboardingUrl, DateTimeOffset? ExpiresAt);

/// <summary>The payment provider (Stripe Connect). Null configuration: <see cref="IsConfigured"/> is false and payout setup answers 503.</summary>
public interface IPayoutProvider
{
    bool IsConfigured { get; }
    string HowToConfigure { get; }
    /// <summary>The longest one <see cref="CreateAsync"/> can take (its calls' time-outs); a staged operation's lease covers it.</summary>
    TimeSpan MaxCallDuration { get; }
    /// <summary>
    /// Creates (or, for a key seen before, returns) the connected account and an onboarding link. The key makes retries safe.
    /// Failures are <see cref="PayoutProviderException"/>s saying whether the provider can have acted.
    /// </summary>
    Task<PayoutAccount> CreateAsync(PayoutAccountRequest request, string idempotencyKey, CancellationToken ct);
}

public enum PayoutFailure
{
    /// <summary>No answer: the provider could not be reached or was busy (429, a concurrent request with the key). 503.</summary>
    Unavailable,
    /// <summary>No answer within the time-out; the provider may have acted. 504.</summary>
    TimedOut,
    /// <summary>The provider answered with an error of its own (5xx, or a refusal after it had created the account). 502.</summary>
    ProviderError,
    /// <summary>The provider refused to create the account (4xx): it created nothing, so the attempt may end. 502.</summary>
    Refused,
}

public sealed class PayoutProviderException(PayoutFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PayoutFailure Failure { get; } = failure;
}

public sealed record PayoutSetupView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("providerAccountId")] string ProviderAccountId,
    [property: JsonPropertyName("onboardingUrl")] string OnboardingUrl,
    [property: JsonPropertyName("onboardingUrlExpiresAt")] string? OnboardingUrlExpiresAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("createdAt")] string CreatedAt);

public static class PayoutSetup
{
    public static readonly WriteRoute Route = new("payout_setup.create", SupportsDryRun: false, RequiresIdempotencyKey: true, AccountScoped: true);

    internal static (string ReturnUrl, string RefreshUrl) Parse(JsonElement body)
    {
        var fields = JsonFields.Root(body, "return_url", "refresh_url");
        string Url(string name)
        {
            var value = fields.RequiredString(name, max: 2048);
            if (value is null) return "";
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http") return uri.ToString();
            fields.Add(name, "must be an absolute http(s) URL");
            return "";
        }
        var result = (Url("return_url"), Url("refresh_url"));
        fields.ThrowIfAny();
        return result;
    }

    internal static PayoutSetupView View(PayoutSetupRow r) =>
        new(r.AccountId, "stripe", r.ProviderAccount, r.OnboardingUrl, r.ExpiresAt, r.Status, r.CreatedAt);
}
