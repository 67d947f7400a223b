using System.Net;
using System.Net.Sockets;
using Partnerships.Application.Features.PayoutSetup;
using Stripe;

namespace Partnerships.Delivery;

public sealed record StripeOptions
{
    /// <summary>Stripe:SecretKey — a restricted or secret key; none configured, payout setup answers 503.</summary>
    public string? SecretKey { get; init; }
    /// <summary>Stripe:BaseUrl — the API base (default https://api.stripe.com), so tests and sandboxes can point elsewhere.</summary>
    public string? BaseUrl { get; init; }
    /// <summary>Stripe:TimeoutSeconds — the bound on each call to Stripe (payout setup makes two).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Stripe Connect Express through the official Stripe.net client. Each call has a bounded time-out, and Stripe.net's own
/// network retries are off: retrying is the caller's decision (the same key, from a client retry or the recoverer), so a
/// call never outlasts its time-out and the staged operation's lease.
/// </summary>
public sealed class StripePayoutProvider : IPayoutProvider
{
    private readonly StripeOptions _options;
    private readonly StripeClient? _client;

    public StripePayoutProvider(StripeOptions options)
    {
        _options = options;
        if (string.IsNullOrWhiteSpace(options.SecretKey)) return;
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.Timeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // the per-call token below is the bound
        };
        _client = new StripeClient(options.SecretKey, httpClient: new SystemNetHttpClient(http, maxNetworkRetries: 0),
            apiBase: string.IsNullOrWhiteSpace(options.BaseUrl) ? null : options.BaseUrl.TrimEnd('/'));
    }

    public bool IsConfigured => _client is not null;

    public string HowToConfigure =>
        "Payout setup is not configured on this server: set Stripe:SecretKey (environment variable Stripe__SecretKey) to a Stripe secret key, and optionally Stripe:BaseUrl.";

    public TimeSpan MaxCallDuration => 2 * _options.Timeout;

    public async Task<PayoutAccount> CreateAsync(PayoutAccountRequest request, string idempotencyKey, CancellationToken ct)
    {
        var client = _client ?? throw new InvalidOperationException(HowToConfigure);
        var account = await CallAsync(token => new AccountService(client).CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Country = request.CountryCode,
            Email = request.Email,
            BusinessProfile = new AccountBusinessProfileOptions { Url = request.StoreUrl, Name = request.Brand },
            Metadata = new Dictionary<string, string> { ["partnerships_account_id"] = request.AccountId },
        }, new RequestOptions { IdempotencyKey = idempotencyKey + ":account" }, token), accountExists: false, ct);
        var link = await CallAsync(token => new AccountLinkService(client).CreateAsync(new AccountLinkCreateOptions
        {
            Account = account.Id,
            Type = "account_onboarding",
            ReturnUrl = request.ReturnUrl,
            RefreshUrl = request.RefreshUrl,
        }, new RequestOptions { IdempotencyKey = idempotencyKey + ":link" }, token), accountExists: true, ct);
        return new PayoutAccount(account.Id, link.Url, link.ExpiresAt == default ? null : new DateTimeOffset(link.ExpiresAt, TimeSpan.Zero));
    }

    /// <summary>One call under the time-out, its failure said as what the caller may conclude from it.</summary>
    private async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, bool accountExists, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new PayoutProviderException(PayoutFailure.TimedOut, $"no answer from Stripe within {_options.Timeout.TotalSeconds:0.#} s", e);
        }
        catch (StripeException e)
        {
            var status = (int)e.HttpStatusCode;
            var what = $"Stripe HTTP {status}: {e.StripeError?.Message ?? e.Message}";
            if (status is 429 or 409) throw new PayoutProviderException(PayoutFailure.Unavailable, what, e);
            // A refusal is final only before the account exists; after it, the account must not be forgotten.
            if (status is >= 400 and < 500 && !accountExists) throw new PayoutProviderException(PayoutFailure.Refused, what, e);
            throw new PayoutProviderException(PayoutFailure.ProviderError, what, e);
        }
        catch (HttpRequestException e)
        {
            var refused = e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound }
                || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw new PayoutProviderException(refused ? PayoutFailure.Unavailable : PayoutFailure.ProviderError,
                $"Stripe unreachable: {e.Message}", e);
        }
    }
}
