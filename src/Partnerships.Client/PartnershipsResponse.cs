namespace Partnerships.Client;

/// <summary>A successful answer: the envelope's <c>data</c> and what the response headers say about the call.</summary>
/// <typeparam name="T">The type of <c>data</c>.</typeparam>
/// <param name="Data">The envelope's <c>data</c>.</param>
/// <param name="StatusCode">The HTTP status (200, or 201 for a creation).</param>
/// <param name="RequestId">This request's id (<c>X-Request-Id</c>; on a replay the body's <c>request_id</c> is the original request's, see <paramref name="OriginalRequestId"/>).</param>
/// <param name="OperationId">The write's operation (<c>X-Operation-Id</c>); null on reads and dry-runs.</param>
/// <param name="ETag">The <c>ETag</c> header, where the route sends one.</param>
/// <param name="Replayed">True when the answer is the stored one of an earlier request with the same key (<c>Idempotent-Replayed</c>).</param>
/// <param name="DryRun">True when the write was rehearsed and rolled back (<c>Dry-Run</c>).</param>
/// <param name="OriginalRequestId">On a replay, the id of the request whose answer is replayed.</param>
/// <param name="IdempotencyKey">The <c>Idempotency-Key</c> the write was sent with; null on reads.</param>
/// <param name="RateLimit">The route's budget and what is left of it (<c>RateLimit-Policy</c>/<c>RateLimit</c>), when the service sent them.</param>
public sealed record PartnershipsResponse<T>(
    T Data,
    int StatusCode,
    string? RequestId,
    string? OperationId,
    string? ETag,
    bool Replayed,
    bool DryRun,
    string? OriginalRequestId,
    string? IdempotencyKey,
    RateLimitStatus? RateLimit = null);
