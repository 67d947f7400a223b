using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>One issue of a rejected request.</summary>
/// <param name="Field">Where: a JSON path into the body, a header or a parameter name.</param>
/// <param name="Issue">What is wrong with it.</param>
/// <param name="Reason">A machine-readable reason (snake_case) on the conflicts a client acts on, e.g. <see cref="ErrorReasons.ContentHashStale"/>; null when none.</param>
public sealed record ErrorDetail(
    [property: JsonPropertyName("field")] string? Field,
    [property: JsonPropertyName("issue")] string? Issue,
    [property: JsonPropertyName("reason")] string? Reason = null);

/// <summary>The machine-readable <c>reason</c>s a partner client tells apart: every 409 has one, and so do the answers whose retry decision the status alone does not give.</summary>
public static class ErrorReasons
{
    /// <summary>The controls PUT's <c>contentHash</c> is not the current one: re-GET, re-apply, retry.</summary>
    public const string ContentHashStale = "content_hash_stale";
    /// <summary>A request with the same <c>Idempotency-Key</c> is still being processed: retry the same key after <c>Retry-After</c>.</summary>
    public const string IdempotencyKeyInFlight = "idempotency_key_in_flight";
    /// <summary>Another request's operation on the same resource (under another key, e.g. a payout setup) has not finished: wait, then retry.</summary>
    public const string OperationInProgress = "operation_in_progress";
    /// <summary>The account already has a page for that surface.</summary>
    public const string SurfaceExists = "surface_exists";
    /// <summary>The <c>external_account_id</c> is registered with another <c>store_identifier</c>.</summary>
    public const string ExternalAccountIdTaken = "external_account_id_taken";
    /// <summary>Payout setup (502): the provider refused and created nothing. Fix the account's data and send a new key; never retried with the same one.</summary>
    public const string ProviderRefused = "provider_refused";
    /// <summary>Payout setup (503): the service has no payment provider configured; retrying does not help.</summary>
    public const string PayoutNotConfigured = "payout_not_configured";
}

/// <summary>
/// The service refused a call (or it could not be completed within the retry policy): the envelope's status, error
/// code, message, details and request id. The token endpoint's errors arrive here too, with the RFC 6749 error code.
/// </summary>
public sealed class PartnershipsApiException : Exception
{
    /// <summary>Creates the exception from the parts of an error answer.</summary>
    public PartnershipsApiException(int statusCode, string? errorCode, string message, IReadOnlyList<ErrorDetail>? details = null,
        string? requestId = null, TimeSpan? retryAfter = null, string? operationId = null)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Details = details ?? [];
        RequestId = requestId;
        RetryAfter = retryAfter;
        OperationId = operationId;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }
    /// <summary>The envelope's <c>error</c> (e.g. <c>Conflict</c>), or the OAuth error (e.g. <c>invalid_client</c>); null when the answer had no body.</summary>
    public string? ErrorCode { get; }
    /// <summary>Every issue the service named.</summary>
    public IReadOnlyList<ErrorDetail> Details { get; }
    /// <summary>The request's id (<c>X-Request-Id</c>): quote it to the network's support.</summary>
    public string? RequestId { get; }
    /// <summary>The <c>Retry-After</c> the service sent, if any.</summary>
    public TimeSpan? RetryAfter { get; }
    /// <summary>The write's operation (<c>X-Operation-Id</c>), if the service recorded one.</summary>
    public string? OperationId { get; }

    /// <summary>The route's budget and what was left of it (on a 429: nothing; wait <see cref="RetryAfter"/>), when the service sent them.</summary>
    public RateLimitStatus? RateLimit { get; init; }

    /// <summary>True when any detail carries this <c>reason</c> (see <see cref="ErrorReasons"/>).</summary>
    public bool HasReason(string reason) => Details.Any(d => d.Reason == reason);

    /// <summary>A 409 because the controls changed since they were read.</summary>
    public bool IsStaleContentHash => StatusCode == 409 && (HasReason(ErrorReasons.ContentHashStale)
        // A service that does not send reasons yet names the field alone.
        || Details.All(d => d.Reason is null) && Details.Any(d => d.Field == "contentHash"));

    /// <summary>A 409 because another operation on the same resource has not finished: the same request may be sent again later.</summary>
    public bool IsOperationInProgress => StatusCode == 409 && HasReason(ErrorReasons.OperationInProgress);

    /// <summary>An answer that names its cause as one retrying cannot change, whatever its status (a provider's refusal, a missing configuration).</summary>
    public bool IsFinal => HasReason(ErrorReasons.ProviderRefused) || HasReason(ErrorReasons.PayoutNotConfigured);

    /// <summary>A 409 because the first request with the same key has not finished: the same key may be sent again.</summary>
    public bool IsIdempotencyKeyInFlight => StatusCode == 409 && (HasReason(ErrorReasons.IdempotencyKeyInFlight)
        || Details.All(d => d.Reason is null) && Details.Any(d => d.Field == "Idempotency-Key" && d.Issue?.StartsWith("in flight", StringComparison.Ordinal) == true));
}
