using System.Diagnostics.Metrics;

namespace Partnerships.Api.RateLimiting;

/// <summary>Refused requests are counted here, not in the store: a flood of them must not make the store write.</summary>
public static class RateLimitMetrics
{
    public const string MeterName = "Partnerships.RateLimits";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Requests answered 429, tagged with the policy (a platform's budget, or <c>anonymous</c> for the per-IP one).</summary>
    public static readonly Counter<long> Refused = Meter.CreateCounter<long>("partnerships.rate_limit.refused", "{request}",
        "Requests refused with 429 by a rate limit");
}
