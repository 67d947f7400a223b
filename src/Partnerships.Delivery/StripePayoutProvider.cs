using Partnerships.Application.Partner;
using Stripe;

namespace Partnerships.Delivery;

public sealed record StripeOptions
{
    /// <summary>Stripe:SecretKey — a restricted or secret key; none configured, payout setup answers 503.</summary>
    public string? SecretKey { get; init; }
    /// <summary>Stripe:BaseUrl — the API base (default https://api.stripe.com), so tests and sandboxes can point elsewhere.</summary>
    public string? BaseUrl { get; init; }
}

/// <summary>Stripe Connect Express through the official Stripe.net client.</summary>
public sealed class StripePayoutProvider(StripeOptions options) : IPayoutProvider
{
    private readonly StripeClient? _client = string.IsNullOrWhiteSpace(options.SecretKey)
        ? null
        : new StripeClient(options.SecretKey, apiBase: string.IsNullOrWhiteSpace(options.BaseUrl) ? null : options.BaseUrl.TrimEnd('/'));

    public bool IsConfigured => _client is not null;

    public string HowToConfigure =>
        "Payout setup is not configured on this server: set Stripe:SecretKey (environment variable Stripe__SecretKey) to a Stripe secret key, and optionally Stripe:BaseUrl.";

    public async Task<PayoutAccount> CreateAsync(PayoutAccountRequest request, string idempotencyKey, CancellationToken ct)
    {
        var client = _client ?? throw new InvalidOperationException(HowToConfigure);
        var account = await new AccountService(client).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Country = request.CountryCode,
            Email = request.Email,
            BusinessProfile = new AccountBusinessProfileOptions { Url = request.StoreUrl, Name = request.Brand },
            Metadata = new Dictionary<string, string> { ["partnerships_account_id"] = request.AccountId },
        }, new RequestOptions { IdempotencyKey = idempotencyKey + ":account" }, ct);
        var link = await new AccountLinkService(client).CreateAsync(new AccountLinkCreateOptions
        {
            Account = account.Id,
            Type = "account_onboarding",
            ReturnUrl = request.ReturnUrl,
            RefreshUrl = request.RefreshUrl,
        }, new RequestOptions { IdempotencyKey = idempotencyKey + ":link" }, ct);
        return new PayoutAccount(account.Id, link.Url, link.ExpiresAt == default ? null : new DateTimeOffset(link.ExpiresAt, TimeSpan.Zero));
    }
}
