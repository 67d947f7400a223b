namespace Partnerships.Application.Features.PayoutSetup;

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
