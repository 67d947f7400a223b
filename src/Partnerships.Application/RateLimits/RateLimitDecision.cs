namespace Partnerships.Application.RateLimits;

/// <summary>
/// The limiter's answer for one request, with what the IETF rate-limit header fields report: the policy (quota and
/// window), the units left and the seconds until the window next frees one.
/// </summary>
public sealed record RateLimitDecision(RateLimitPolicy Policy, int Limit, bool Allowed, long Remaining, int ResetSeconds)
{
    /// <summary>Seconds to wait before a refused request can succeed (at least one).</summary>
    public int RetryAfterSeconds => Math.Max(1, ResetSeconds);

    /// <summary>RateLimit-Policy: <c>"register";q=10;w=60</c>.</summary>
    public string PolicyField => $"\"{Policy.Name}\";q={Limit};w={(int)RateLimitPolicies.Window.TotalSeconds}";

    /// <summary>RateLimit: <c>"register";r=7;t=42</c>.</summary>
    public string StateField => $"\"{Policy.Name}\";r={Math.Max(0, Remaining)};t={Math.Max(0, ResetSeconds)}";
}
