using Partnerships.Core.Taxonomy;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.ReferenceData;

/// <summary>The network taxonomy keyed by id, held by this process behind the store-wide taxonomy version that every taxonomy load bumps.</summary>
public sealed class NetworkTaxonomyCache
{
    private volatile Snapshot? _current;

    /// <summary>Reads the stamp through <paramref name="s"/> (inside a write's transaction when it is one) and the rows only when it moved.</summary>
    public async Task<IReadOnlyDictionary<long, NetworkCategory>> GetAsync(DbSession s)
    {
        var version = await TaxonomyStore.VersionAsync(s);
        if (_current is { } cached && cached.Version >= version) return cached.ById;
        var (loadedVersion, rows) = await TaxonomyStore.ListVersionedAsync(s);
        var loaded = new Snapshot(loadedVersion, rows.ToDictionary(r => r.Id, r => new NetworkCategory(
            r.Id, r.ParentId, r.Name, (int)r.Tier, r.VerticalId, r.SubVerticalId)));
        if (_current is not { } existing || existing.Version <= loaded.Version) _current = loaded;
        return loaded.ById;
    }

    private sealed record Snapshot(long Version, IReadOnlyDictionary<long, NetworkCategory> ById);
}
