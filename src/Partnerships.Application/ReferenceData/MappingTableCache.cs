using System.Collections.Concurrent;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.ReferenceData;

/// <summary>
/// Each platform's mapping table, held by this process and read again from the store only when the platform's
/// <c>mapping_version</c> moves (every mapping load bumps it in its own transaction, whichever process runs it). Callers
/// pass the stamp they read themselves, ideally in a query they make anyway; a write reads it inside its transaction,
/// after its row lock, so it never translates with a table older than the one committed when it read the stamp.
/// </summary>
public sealed class MappingTableCache
{
    private readonly ConcurrentDictionary<string, PlatformMappings> _tables = new(StringComparer.Ordinal);

    /// <summary>The platform's table, no older than <paramref name="version"/>: the cached one when it is that recent, else read through <paramref name="s"/>.</summary>
    public async ValueTask<PlatformMappings> GetAsync(DbSession s, string platformId, long version)
    {
        if (_tables.TryGetValue(platformId, out var cached) && cached.Version >= version) return cached;
        var (loadedVersion, rows) = await MappingStore.ListVersionedAsync(s, platformId);
        var loaded = new PlatformMappings(platformId, loadedVersion, rows);
        // Requests racing on a miss each build a copy; the newest stays.
        _tables.AddOrUpdate(platformId, loaded, (_, existing) => existing.Version > loaded.Version ? existing : loaded);
        return loaded;
    }

    /// <summary>For a caller whose own queries do not carry the stamp: one small read of it, then <see cref="GetAsync"/>.</summary>
    public async ValueTask<PlatformMappings> GetCurrentAsync(DbSession s, string platformId) =>
        await GetAsync(s, platformId, await PlatformStore.MappingVersionAsync(s, platformId));
}
