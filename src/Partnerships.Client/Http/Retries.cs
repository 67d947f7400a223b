using System.Runtime.ExceptionServices;

namespace Partnerships.Client.Http;

internal static class Retries
{
    /// <summary>
    /// 408 and 429 ask to come back; a 5xx may be transient — except 501 (not implemented) and 505 (HTTP version), which
    /// the same request will always get.
    /// </summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 || status >= 500 && status is not 501 and not 505;

    public static bool IsRetryable(PartnershipsApiException e) =>
        !e.IsFinal && (IsRetryableStatus(e.StatusCode) || e.IsIdempotencyKeyInFlight || e.IsOperationInProgress);

    /// <summary>The last failure, thrown with its original stack when it has one.</summary>
    public static Exception Rethrowable(Exception failure)
    {
        if (failure.StackTrace is not null) ExceptionDispatchInfo.Capture(failure).Throw();
        return failure;
    }
}

internal static class RetryAfter
{
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider clock)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }
}
