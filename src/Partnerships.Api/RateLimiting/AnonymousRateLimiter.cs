using System.Threading.RateLimiting;
using Partnerships.Api.Hosting;
using Partnerships.Application.RateLimits;
using Partnerships.Core.Errors;

namespace Partnerships.Api.RateLimiting;

/// <summary>
/// A coarse budget per client IP address for traffic without a valid credential — every token request, and every
/// request refused for a missing, bad or revoked credential — so that it cannot make the service hash secrets or write
/// refusal audit entries without end. In memory, per process (an abuser spread over processes gets a few times the
/// budget; a platform's budgets are the shared, exact ones).
/// </summary>
public sealed class AnonymousRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AnonymousRateLimiter(RateLimitOptions options)
    {
        PerMinute = options.AnonymousPerIpPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetSlidingWindowLimiter(ip, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = PerMinute,
            Window = RateLimitPolicies.Window,
            SegmentsPerWindow = 12,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public int PerMinute { get; }

    /// <summary>Counts one request of the caller's address; null when it may go on, else the 429 to answer with.</summary>
    public ApiError? Check(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(Address(http));
        if (lease.IsAcquired) return null;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 5;
        RateLimitMetrics.Refused.Add(1, new KeyValuePair<string, object?>("policy", "anonymous"));
        http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ApiError(429, ErrorCodes.RateLimitExceeded,
            $"Too many requests without a valid credential from your address: at most {PerMinute} a minute; retry after {retryAfter} seconds");
    }

    /// <summary>Whether the caller's address has no request left in its window; counts nothing (a zero-permit attempt).</summary>
    public bool IsSpent(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(Address(http), 0);
        return !lease.IsAcquired;
    }

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Writes the 429 when the caller's address is over its budget; false when the request may go on.</summary>
    public async Task<bool> RefuseAsync(HttpContext http)
    {
        if (Check(http) is not { } error) return false;
        await EnvelopeErrors.WriteAsync(http, error);
        return true;
    }

    public void Dispose() => _limiter.Dispose();
}
