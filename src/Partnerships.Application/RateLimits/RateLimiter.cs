using System.Collections.Concurrent;
using Partnerships.Storage;

namespace Partnerships.Application.RateLimits;

/// <summary>
/// Per-platform budgets as a sliding window: at most N requests in any window of 60 seconds, one budget across every
/// process sharing the store (<see cref="RateLimitLedger"/>). Budgets up to <see cref="RateLimitOptions.ExactUpTo"/> are
/// exact: each request is one grant in the ledger, made in a transaction that serialises the bucket across processes.
/// Larger ones are leased: a process takes about a second's worth of units in one grant, spends them locally for at most
/// <see cref="RateLimitOptions.LeaseLength"/> and gives back what it did not spend, so the store sees a round trip per
/// chunk, not per request. A grant is stamped with its lease's end, so leased units never let more than N through in a
/// window, whatever the number of processes; what a process leased and has not spent yet is held from the others until
/// its next renewal, so the budget is approximate from below.
/// </summary>
public sealed class RateLimiter(RateLimitLedger ledger, RateLimitOverrides overrides, RateLimitOptions options, TimeProvider clock)
{
    private static readonly long WindowMs = (long)RateLimitPolicies.Window.TotalMilliseconds;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Counts one request of the platform against the policy, or refuses it; a refusal is not counted.</summary>
    public async ValueTask<RateLimitDecision> AcquireAsync(string platformId, RateLimitPolicy policy, CancellationToken ct)
    {
        var limit = await overrides.LimitAsync(platformId, policy, ct);
        var bucket = _buckets.GetOrAdd(platformId + "/" + policy.Name, key => new Bucket(key));
        return limit <= options.ExactUpTo ? await ExactAsync(bucket, policy, limit, ct) : await LeasedAsync(bucket, policy, limit, ct);
    }

    private async ValueTask<RateLimitDecision> ExactAsync(Bucket bucket, RateLimitPolicy policy, int limit, CancellationToken ct)
    {
        var now = Now();
        // A refusal holds until the oldest grant of the window leaves it: nothing can free a unit sooner, so asking the
        // ledger again before then would only let a flood of refused requests load the store.
        if (bucket.RefusedLimit == limit && now < bucket.RefusedUntilMs) return Refused(policy, limit, bucket.RefusedUntilMs - now);
        var grant = await ledger.AcquireAsync(bucket.Key, limit, 1, now, WindowMs, null, ct);
        var reset = grant.OldestAtMs is { } oldest ? oldest + WindowMs - now : 0;
        if (grant.Units == 0)
        {
            (bucket.RefusedUntilMs, bucket.RefusedLimit) = (now + reset, limit);
            return Refused(policy, limit, reset);
        }
        return new RateLimitDecision(policy, limit, true, limit - grant.UsedInWindow, Seconds(reset));
    }

    private async ValueTask<RateLimitDecision> LeasedAsync(Bucket bucket, RateLimitPolicy policy, int limit, CancellationToken ct)
    {
        if (TrySpend(bucket, policy, limit, Now()) is { } spent) return spent;
        await bucket.Renewing.WaitAsync(ct);
        try
        {
            var now = Now();
            // Another request may have renewed the lease while this one waited.
            if (TrySpend(bucket, policy, limit, now) is { } decided) return decided;
            (long, int)? giveBack;
            lock (bucket) giveBack = bucket.GrantId is { } id ? (id, bucket.Spent) : null;
            var chunk = (int)Math.Max(1, Math.Ceiling(limit * options.LeaseLength.TotalMilliseconds / WindowMs));
            var leaseEnd = now + (long)options.LeaseLength.TotalMilliseconds;
            var grant = await ledger.AcquireAsync(bucket.Key, limit, chunk, now, WindowMs, giveBack, ct, stampMs: leaseEnd);
            lock (bucket)
            {
                bucket.GrantId = grant.GrantId;
                bucket.Granted = grant.Units;
                bucket.Spent = 0;
                bucket.LeaseLimit = limit;
                bucket.LeaseUntilMs = leaseEnd;
                bucket.UsedAtGrant = grant.UsedInWindow;
                bucket.ResetAtMs = grant.OldestAtMs is { } oldest ? oldest + WindowMs : now;
            }
            return TrySpend(bucket, policy, limit, now) ?? Refused(policy, limit, bucket.ResetAtMs - now);
        }
        finally
        {
            bucket.Renewing.Release();
        }
    }

    /// <summary>Spends a unit of the current lease, or refuses while an empty lease lasts; null when the lease must be renewed.</summary>
    private static RateLimitDecision? TrySpend(Bucket bucket, RateLimitPolicy policy, int limit, long now)
    {
        lock (bucket)
        {
            if (bucket.LeaseLimit != limit || now >= bucket.LeaseUntilMs) return null;
            if (bucket.Spent < bucket.Granted)
            {
                bucket.Spent++;
                return new RateLimitDecision(policy, limit, true, limit - bucket.UsedAtGrant + bucket.Granted - bucket.Spent, Seconds(bucket.ResetAtMs - now));
            }
            // An empty grant means the window was full when the lease was asked for; other processes may give units
            // back, so the refusal lasts one lease length only.
            return bucket.Granted == 0 ? Refused(policy, limit, bucket.ResetAtMs - now) : null;
        }
    }

    private static RateLimitDecision Refused(RateLimitPolicy policy, int limit, long resetMs) => new(policy, limit, false, 0, Seconds(resetMs));

    private static int Seconds(long ms) => ms <= 0 ? 0 : (int)Math.Min(int.MaxValue, (ms + 999) / 1000);

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class Bucket(string key)
    {
        public string Key { get; } = key;
        public SemaphoreSlim Renewing { get; } = new(1, 1);
        public long RefusedUntilMs;
        public int RefusedLimit = -1;
        public long? GrantId;
        public int Granted;
        public int Spent;
        public int LeaseLimit = -1;
        public long LeaseUntilMs;
        public long UsedAtGrant;
        public long ResetAtMs;
    }
}
