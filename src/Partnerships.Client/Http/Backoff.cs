namespace Partnerships.Client.Http;

/// <summary>Exponential backoff with full jitter: attempt n waits a uniform random time in [0, min(max, base·2^(n-1))].</summary>
internal static class Backoff
{
    public static TimeSpan FullJitter(int attempt, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    /// <summary>A server's Retry-After is honoured as a floor; a little jitter on top keeps waiting clients from returning together.</summary>
    public static TimeSpan After(int attempt, TimeSpan? retryAfter, TimeSpan baseDelay, TimeSpan maxDelay) =>
        retryAfter is { } floor ? floor + FullJitter(1, baseDelay, maxDelay) : FullJitter(attempt, baseDelay, maxDelay);
}
