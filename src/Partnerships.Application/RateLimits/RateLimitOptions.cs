namespace Partnerships.Application.RateLimits;

/// <summary>How the limiter runs (section RateLimits; docs/operations.md lists the keys).</summary>
public sealed record RateLimitOptions
{
    /// <summary>Off only for a deployment that limits in front of the service; the published limits are then not enforced here.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The deployment's default per policy name, replacing the published figure for every platform that has no override
    /// of its own (RateLimits:PerMinute:&lt;policy&gt;) — a sandbox's higher limits, say.
    /// </summary>
    public IReadOnlyDictionary<string, int> PerMinute { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Budgets up to this many a minute are counted per request in the shared ledger, so they are exact across processes;
    /// larger ones are leased to each process in chunks (approximate, a store round trip per chunk, not per request).
    /// </summary>
    public int ExactUpTo { get; init; } = 1000;

    /// <summary>How long a process may spend a leased chunk; units it has not spent by then go back to the ledger.</summary>
    public TimeSpan LeaseLength { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How old a process's copy of the operators' overrides may be (how soon a change applies everywhere).</summary>
    public TimeSpan OverrideRefresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests a minute from one IP address without a valid credential: token requests and refused credentials (per process).</summary>
    public int AnonymousPerIpPerMinute { get; init; } = 300;

    public int DefaultFor(RateLimitPolicy policy) => PerMinute.TryGetValue(policy.Name, out var n) ? n : policy.PublishedPerMinute;
}
