using System.Collections.Concurrent;
using System.Globalization;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application;

public sealed record CredentialValidityOptions
{
    /// <summary>
    /// The oldest view of the store a "valid" answer may rest on (Auth:CredentialCheckMaxAgeMilliseconds): a revocation or
    /// rotation made by another process is refused here at most this long after it commits. Zero reads the store on every check.
    /// </summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMilliseconds(750);

    public const int MaxAgeLimitMilliseconds = 1000;
}

/// <summary>
/// This process's copy of which partner credentials are valid (credential id → platform, generation, revoked), so the
/// token check costs no store round trip. Every issue, rotation and revocation bumps the credentials' store version in
/// its own transaction (<see cref="CredentialStore.BumpVersionAsync"/>); an entry is only served while the newest
/// version this process has seen is the entry's own and that sighting began less than <see cref="CredentialValidityOptions.MaxAge"/>
/// ago. A third of the way into that age one request starts a re-read of the version in the background (the others go
/// on); past it, or for an unknown or outdated entry, the check reads the credential and the version in one statement.
/// The process that makes a change raises its floor at once (<see cref="Changed"/>), so its own next check reads anew.
/// </summary>
public sealed class CredentialValidity(Database db, CredentialValidityOptions options)
{
    /// <summary>The store held <paramref name="Version"/> at least as late as the moment <paramref name="AtTicks"/> (the read began then).</summary>
    private sealed record Sighting(long Version, long AtTicks);

    private sealed record Entry(string? PlatformId, long Generation, bool Revoked, long Version);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _maxAgeMs = (long)options.MaxAge.TotalMilliseconds;
    private readonly long _refreshAfterMs = (long)options.MaxAge.TotalMilliseconds / 3;
    private Sighting _seen = new(long.MinValue, long.MinValue);
    private int _refreshing;

    /// <summary>How many checks have read a credential from the store so far (the background version re-reads aside).</summary>
    public long CredentialReads => Interlocked.Read(ref _credentialReads);
    private long _credentialReads;

    /// <summary>True when the credential exists, is not revoked, belongs to the platform and is still at the token's generation.</summary>
    public async ValueTask<bool> IsValidAsync(string credentialId, string? platformId, string? generation, CancellationToken ct)
    {
        var entry = Cached(credentialId) ?? await LoadAsync(credentialId, ct);
        return entry.PlatformId is not null && !entry.Revoked && entry.PlatformId == platformId
            && entry.Generation.ToString(CultureInfo.InvariantCulture) == generation;
    }

    /// <summary>
    /// This process committed a change that brought the credentials to <paramref name="version"/>: entries read before it
    /// are outdated at once. The sighting's time is not advanced (a later change by another process may already be in).
    /// </summary>
    public void Changed(long version)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _seen);
            if (version <= seen.Version) return;
            if (Interlocked.CompareExchange(ref _seen, seen with { Version = version }, seen) == seen) return;
        }
    }

    private Entry? Cached(string credentialId)
    {
        if (_maxAgeMs <= 0) return null;
        var seen = Volatile.Read(ref _seen);
        if (seen.AtTicks == long.MinValue) return null;
        var age = Environment.TickCount64 - seen.AtTicks;
        if (age >= _maxAgeMs) return null;
        if (!_entries.TryGetValue(credentialId, out var entry) || entry.Version < seen.Version) return null;
        if (age >= _refreshAfterMs) StartRefresh();
        return entry;
    }

    private async Task<Entry> LoadAsync(string credentialId, CancellationToken ct)
    {
        var at = Environment.TickCount64;
        CredentialValidityRow row;
        await using (var s = await DbSession.ReadAsync(db, ct))
        {
            row = await CredentialStore.GetValidityAsync(s, credentialId);
        }
        Interlocked.Increment(ref _credentialReads);
        Saw(row.StoreVersion, at);
        var entry = new Entry(row.PlatformId, row.Generation ?? 0, row.RevokedAt is not null, row.StoreVersion);
        if (_maxAgeMs > 0)
        {
            // Concurrent reads of one credential: the one made at the later version stays.
            _entries.AddOrUpdate(credentialId, entry, (_, old) => old.Version > entry.Version ? old : entry);
        }
        return entry;
    }

    /// <summary>One re-read of the version at a time, off the request path; a store that is away leaves the sighting to age.</summary>
    private void StartRefresh()
    {
        if (Interlocked.CompareExchange(ref _refreshing, 1, 0) != 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var at = Environment.TickCount64;
                long version;
                await using (var s = await DbSession.ReadAsync(db))
                {
                    version = await CredentialStore.VersionAsync(s);
                }
                Saw(version, at);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or TimeoutException or InvalidOperationException)
            {
                // Past the maximum age the checks read the store themselves, and answer 503 while it is away.
            }
            finally
            {
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }

    /// <summary>
    /// Records that the store held <paramref name="version"/> when a read that began at <paramref name="at"/> ran. A newer
    /// version replaces the sighting; the same version only moves its time on; an older one (a read that began before a
    /// change this process already knows of) tells nothing new.
    /// </summary>
    private void Saw(long version, long at)
    {
        while (true)
        {
            var seen = Volatile.Read(ref _seen);
            Sighting next;
            if (version > seen.Version) next = new Sighting(version, at);
            else if (version == seen.Version && at > seen.AtTicks) next = seen with { AtTicks = at };
            else return;
            if (Interlocked.CompareExchange(ref _seen, next, seen) == seen) return;
        }
    }
}
