using System.Net.Http.Headers;
using System.Text.Json;

namespace Partnerships.Client.Http;

/// <summary>
/// Sends one logical call: authenticates it, retries what is safe to retry (every write carries one Idempotency-Key
/// for all its attempts, so a retry can only replay, never repeat), and turns the envelope into a result or an exception.
/// </summary>
internal sealed class ApiTransport(HttpClient http, PartnershipsClientOptions options, TokenCache tokens, TimeProvider clock)
{
    private sealed record RawAnswer(int Status, string Body, HttpResponseHeaders Headers, TimeSpan? RetryAfter);

    // enveloped: false for the one published answer outside the envelope (a privacy request's 202), whose body is the data.
    public async Task<PartnershipsResponse<T>> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey,
        CancellationToken ct, bool enveloped = true)
    {
        var content = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), ClientJson.Options);
        var refreshedToken = false;
        for (var attempt = 1; ; attempt++)
        {
            var token = await tokens.GetAsync(ct).ConfigureAwait(false);
            Exception failure;
            TimeSpan? retryAfter = null;
            try
            {
                var answer = await SendOnceAsync(method, path, content, idempotencyKey, token, ct).ConfigureAwait(false);
                if (answer.Status is >= 200 and < 300) return enveloped ? Success<T>(answer, idempotencyKey) : Unwrapped<T>(answer);
                var error = Error(answer);
                if (answer.Status == 401 && !refreshedToken)
                {
                    // The token may have been revoked or its signing key retired: one fresh token, one more try.
                    refreshedToken = true;
                    tokens.Invalidate(token);
                    attempt--;
                    continue;
                }
                if (!Retries.IsRetryable(error)) throw error;
                failure = error;
                retryAfter = answer.RetryAfter;
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = new TimeoutException($"{method} {path} took longer than {options.AttemptTimeout}", e);
            }
            if (attempt >= options.MaxAttempts || retryAfter > options.MaxRetryAfter) throw Retries.Rethrowable(failure);
            await Task.Delay(Backoff.After(attempt, retryAfter, options.RetryBaseDelay, options.RetryMaxDelay), clock, ct).ConfigureAwait(false);
        }
    }

    private async Task<RawAnswer> SendOnceAsync(HttpMethod method, string path, byte[]? content, string? idempotencyKey, string token,
        CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(options.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        if (options.PlatformParentAccountId is { } platform) request.Headers.TryAddWithoutValidation("X-Platform-Parent-Account-Id", platform);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.AttemptTimeout);
        // The body is read inside the attempt: a connection lost while reading it is a network error like any other.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        return new RawAnswer((int)response.StatusCode, text, response.Headers, RetryAfter.Of(response, clock));
    }

    private static PartnershipsResponse<T> Success<T>(RawAnswer answer, string? idempotencyKey)
    {
        var envelope = JsonSerializer.Deserialize<Envelope<T>>(answer.Body, ClientJson.Options)
            ?? throw new JsonException("The response had no envelope");
        if (envelope.Data is null) throw new JsonException("The response envelope had no data");
        return new PartnershipsResponse<T>(envelope.Data, answer.Status, Header(answer, "X-Request-Id") ?? envelope.RequestId,
            Header(answer, "X-Operation-Id"), Header(answer, "ETag"), Flag(answer, "Idempotent-Replayed"), Flag(answer, "Dry-Run"),
            Header(answer, "Original-Request-Id"), idempotencyKey, RateLimitOf(answer));
    }

    private static PartnershipsResponse<T> Unwrapped<T>(RawAnswer answer)
    {
        var data = JsonSerializer.Deserialize<T>(answer.Body, ClientJson.Options) ?? throw new JsonException("The response had no body");
        return new PartnershipsResponse<T>(data, answer.Status, Header(answer, "X-Request-Id"), null, null, false, false, null, null);
    }

    private static PartnershipsApiException Error(RawAnswer answer)
    {
        Envelope<JsonElement>? envelope = null;
        try
        {
            if (answer.Body.Length > 0) envelope = JsonSerializer.Deserialize<Envelope<JsonElement>>(answer.Body, ClientJson.Options);
        }
        catch (JsonException)
        {
            // Not an envelope (e.g. a proxy's page, or the web server's bodiless refusal): the status says enough.
        }
        return new PartnershipsApiException(answer.Status, envelope?.Error, envelope?.Message ?? $"The service answered {answer.Status}",
            envelope?.Details, Header(answer, "X-Request-Id") ?? envelope?.RequestId, answer.RetryAfter, Header(answer, "X-Operation-Id"))
        {
            RateLimit = RateLimitOf(answer),
        };
    }

    private static RateLimitStatus? RateLimitOf(RawAnswer answer) => RateLimitStatus.Parse(Header(answer, "RateLimit-Policy"), Header(answer, "RateLimit"));

    private static string? Header(RawAnswer answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static bool Flag(RawAnswer answer, string name) =>
        string.Equals(Header(answer, name), "true", StringComparison.OrdinalIgnoreCase);
}
