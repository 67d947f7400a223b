using System.Net.Http.Json;

namespace Partnerships.Client.Http;

/// <summary>
/// The client-credentials access token, fetched once and shared by every call, replaced before it expires. One refresh
/// runs at a time: callers arriving meanwhile wait for it and use its token.
/// </summary>
internal sealed class TokenCache(HttpClient http, PartnershipsClientOptions options, TimeProvider clock)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _current;

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt);

    public async Task<string> GetAsync(CancellationToken ct)
    {
        if (_current is { } token && clock.GetUtcNow() < token.RefreshAt) return token.Value;
        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (_current is { } fresh && clock.GetUtcNow() < fresh.RefreshAt) return fresh.Value;
            _current = await FetchAsync(ct).ConfigureAwait(false);
            return _current.Value;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The service refused this token (401): drop it, unless a newer one already replaced it.</summary>
    public void Invalidate(string refused)
    {
        var current = _current;
        if (current?.Value == refused) Interlocked.CompareExchange(ref _current, null, current);
    }

    private async Task<CachedToken> FetchAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            TimeSpan? retryAfter = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.AttemptTimeout);
            try
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = options.ClientId, ["client_secret"] = options.ClientSecret,
                });
                var requestedAt = clock.GetUtcNow();
                using var response = await http.PostAsync(new Uri(options.BaseAddress, "api/v1/oauth/token"), form, timeout.Token).ConfigureAwait(false);
                var answer = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && answer?.AccessToken is { Length: > 0 } value)
                {
                    var lifetime = TimeSpan.FromSeconds(Math.Max(1, answer.ExpiresIn ?? 60));
                    var margin = TimeSpan.FromTicks(Math.Min(options.TokenRefreshMargin.Ticks, lifetime.Ticks / 2));
                    return new CachedToken(value, requestedAt + lifetime - margin);
                }
                var status = (int)response.StatusCode;
                retryAfter = RetryAfter.Of(response, clock);
                var error = new PartnershipsApiException(status, answer?.Error,
                    answer?.ErrorDescription ?? $"The token endpoint answered {status}", retryAfter: retryAfter,
                    requestId: response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null);
                if (!Retries.IsRetryableStatus(status)) throw error;
                failure = error;
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = new TimeoutException($"The token request took longer than {options.AttemptTimeout}", e);
            }
            if (attempt >= options.MaxAttempts || retryAfter > options.MaxRetryAfter) throw Retries.Rethrowable(failure);
            await Task.Delay(Backoff.After(attempt, retryAfter, options.RetryBaseDelay, options.RetryMaxDelay), clock, ct).ConfigureAwait(false);
        }
    }

    private static async Task<TokenAnswer?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TokenAnswer>(ClientJson.Options, ct).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
