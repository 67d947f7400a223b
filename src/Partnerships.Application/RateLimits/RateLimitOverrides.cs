using System.Collections.Frozen;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.RateLimits;

/// <summary>
/// This process's copy of the operators' per-platform limits, re-read from the store when older than
/// <see cref="RateLimitOptions.OverrideRefresh"/>, so a change made through any process applies in every one within
/// seconds. One request re-reads at a time; the others use the copy they have.
/// </summary>
public sealed class RateLimitOverrides(Database db, RateLimitOptions options)
{
    private sealed record Snapshot(FrozenDictionary<string, int> Limits, long LoadedAtTicks);

    private volatile Snapshot? _snapshot;
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The platform's limit for the policy: its override, else the deployment's default, else the published figure.</summary>
    public async ValueTask<int> LimitAsync(string platformId, RateLimitPolicy policy, CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is null)
        {
            snapshot = await LoadAsync(wait: true, ct) ?? _snapshot!;
        }
        else if (Environment.TickCount64 - snapshot.LoadedAtTicks > (long)options.OverrideRefresh.TotalMilliseconds)
        {
            snapshot = await LoadAsync(wait: false, ct) ?? snapshot;
        }
        return snapshot.Limits.TryGetValue(Key(platformId, policy.Name), out var perMinute) ? perMinute : options.DefaultFor(policy);
    }

    /// <summary>Forgets the copy, so this process's next request reads the change it has just made.</summary>
    public void Invalidate() => _snapshot = null;

    private async Task<Snapshot?> LoadAsync(bool wait, CancellationToken ct)
    {
        if (!wait && !_loading.Wait(0)) return null;
        if (wait) await _loading.WaitAsync(ct);
        try
        {
            if (wait && _snapshot is { } fresh) return fresh;
            await using var s = await DbSession.ReadAsync(db, ct);
            var rows = await RateLimitStore.ListAsync(s);
            var snapshot = new Snapshot(rows.ToFrozenDictionary(r => Key(r.PlatformId, r.Policy), r => r.PerMinute), Environment.TickCount64);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private static string Key(string platformId, string policy) => platformId + "/" + policy;
}
