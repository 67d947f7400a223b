using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>The network taxonomy: load a new one, show it, and put the shipped default in place on a fresh store.</summary>
public sealed class TaxonomyAdmin(Database db, TimeProvider clock)
{
    /// <summary>Replaces the network taxonomy; refused when a platform's mapping still targets an id the new file lacks.</summary>
    public Task<TaxonomyLoadView> LoadAsync(OperatorActor actor, IReadOnlyList<NetworkCategory> categories) =>
        OperatorAudit.RunAsync(db, clock, actor, "taxonomy.load", "network-taxonomy", async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        audit.Before = new { categories = await TaxonomyStore.CountAsync(s) };
        var ids = categories.Select(c => c.Id).ToHashSet();
        var orphans = new List<FieldIssue>();
        foreach (var platform in await PlatformStore.ListAsync(s))
        {
            foreach (var mapping in await MappingStore.ListAsync(s, platform.Id))
            {
                if (!ids.Contains(mapping.NetworkCategoryId))
                {
                    orphans.Add(new FieldIssue($"platforms[{platform.Id}].mappings[{mapping.PartnerVerticalId}/{mapping.PartnerSubVerticalId}]",
                        $"maps to network category {mapping.NetworkCategoryId}, which the new taxonomy does not contain"));
                }
            }
        }
        if (orphans.Count > 0)
        {
            throw ApiError.BadRequestAsWhole("Taxonomy load rejected: existing mappings target categories it removes", orphans);
        }
        await TaxonomyStore.ReplaceAsync(s, categories.Select(Row));
        await TaxonomyStore.BumpVersionAsync(s);
        audit.After = new { categories = categories.Count };
        await audit.CommitAsync(s);
        return new TaxonomyLoadView(categories.Count);
    });

    /// <summary>
    /// Loads the shipped default (IAB Ad Product Taxonomy 2.0) when the store has no taxonomy yet. Check and load are one
    /// transaction under a lock, so processes starting together on one store load it once.
    /// </summary>
    public async Task<bool> EnsureDefaultAsync()
    {
        await using var s = await DbSession.WriteAsync(db);
        await TaxonomyStore.LockAsync(s);
        if (await TaxonomyStore.CountAsync(s) > 0) return false;
        await TaxonomyStore.ReplaceAsync(s, NetworkTaxonomyParser.LoadDefault().Select(Row));
        await TaxonomyStore.BumpVersionAsync(s);
        await s.CommitAsync();
        return true;
    }

    public async Task<IReadOnlyList<NetworkCategoryView>> ListAsync()
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await TaxonomyStore.ListAsync(s)).Select(c => new NetworkCategoryView(c.Id, c.ParentId, c.Name, c.Tier, c.VerticalId, c.SubVerticalId)).ToList();
    }

    private static NetworkCategoryRow Row(NetworkCategory c) => new()
    {
        Id = c.Id, ParentId = c.ParentId, Name = c.Name, Tier = c.Tier, VerticalId = c.VerticalId, SubVerticalId = c.SubVerticalId,
    };
}
