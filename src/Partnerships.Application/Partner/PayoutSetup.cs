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
    /// <summary>Creates (or, for a key seen before, returns) the connected account and an onboarding link. The key makes retries safe.</summary>
    Task<PayoutAccount> CreateAsync(PayoutAccountRequest request, string idempotencyKey, CancellationToken ct);
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

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx, IPayoutProvider provider)
    {
        var (returnUrl, refreshUrl) = Parse(ctx.Body);
        if (!provider.IsConfigured)
        {
            throw ApiError.Unavailable(provider.HowToConfigure);
        }
        var s = ctx.Session;
        var account = ctx.RequiredAccount;
        var existing = await PayoutStore.GetAsync(s, account.Id);
        if (existing is not null)
        {
            return new WriteOutcome(200, View(existing), "payout setup exists; current state returned");
        }
        // Called under the account lock with the partner's key forwarded: a retry after a crash between the provider's
        // answer and our commit gets the same provider account back instead of a second one.
        var created = await provider.CreateAsync(new PayoutAccountRequest(account.Id, account.CountryCode, account.ContactEmail,
            account.StoreIdentifier, account.Brand, returnUrl, refreshUrl), $"{account.Id}:{ctx.Request.IdempotencyKey}", CancellationToken.None);
        var at = Database.Timestamp(ctx.Now);
        var row = new PayoutSetupRow
        {
            AccountId = account.Id, ProviderAccount = created.ProviderAccountId, OnboardingUrl = created.OnboardingUrl,
            ExpiresAt = created.ExpiresAt is { } e ? Database.Timestamp(e) : null, Status = "onboarding", CreatedAt = at, UpdatedAt = at,
        };
        await PayoutStore.InsertAsync(s, row);
        var view = View(row);
        ctx.Emit(EventTypes.PayoutSetupCreated, account.Id, view);
        return new WriteOutcome(201, view, $"payout account {created.ProviderAccountId} created");
    }

    private static (string ReturnUrl, string RefreshUrl) Parse(JsonElement body)
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

    private static PayoutSetupView View(PayoutSetupRow r) =>
        new(r.AccountId, "stripe", r.ProviderAccount, r.OnboardingUrl, r.ExpiresAt, r.Status, r.CreatedAt);
}
