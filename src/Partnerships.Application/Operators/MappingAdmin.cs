using Partnerships.Application.ReferenceData;
using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>A platform's vertical mapping table (partner ids to network sub-verticals): load it, list it.</summary>
public sealed class MappingAdmin(Database db, TimeProvider clock, NetworkTaxonomyCache? taxonomyCache = null)
{
    private readonly NetworkTaxonomyCache _taxonomy = taxonomyCache ?? new NetworkTaxonomyCache();

    /// <summary>Atomic: every row is checked first and one bad row rejects the whole load, naming every bad row.</summary>
    public Task<MappingLoadView> LoadAsync(OperatorActor actor, string? platformId, IReadOnlyList<MappingInput> rows,
        IReadOnlyList<FieldIssue>? parseIssues = null) =>
        OperatorAudit.RunAsync(db, clock, actor, "mappings.load", platformId is null ? null : "platform:" + platformId, async audit =>
    {
        audit.PlatformId = platformId;
        if (string.IsNullOrWhiteSpace(platformId))
        {
            throw ApiError.Field("platform_parent_account_id", "is required");
        }
        if (rows.Count == 0 && (parseIssues is null || parseIssues.Count == 0))
        {
            throw ApiError.Field("mappings", "must contain at least one row");
        }
        await using var s = await DbSession.WriteAsync(db);
        var result = await LoadInAsync(s, platformId, rows, parseIssues);
        audit.After = new { loaded = result.Loaded, inserted = result.Inserted, updated = result.Updated };
        await audit.CommitAsync(s);
        return result;
    });

    public async Task<IReadOnlyList<AdminMappingView>> ListAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        return (await MappingStore.ListAsync(s, platformId)).Select(m => new AdminMappingView(m.PartnerVerticalId, m.PartnerSubVerticalId,
            m.PartnerVerticalName, m.PartnerSubVerticalName, m.NetworkCategoryId, m.NetworkSubVerticalId, m.UpdatedAt)).ToList();
    }

    /// <summary>The load itself, in the caller's transaction (the demo seeding loads its tables with its platforms).</summary>
    internal async Task<MappingLoadView> LoadInAsync(DbSession s, string platformId, IReadOnlyList<MappingInput> rows, IReadOnlyList<FieldIssue>? parseIssues)
    {
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        var network = await _taxonomy.GetAsync(s);
        MappingImport.Validate(rows, network, parseIssues);
        var existing = (await MappingStore.ListAsync(s, platformId))
            .Select(m => (m.PartnerVerticalId, m.PartnerSubVerticalId)).ToHashSet();
        var now = Database.Timestamp(clock.GetUtcNow());
        var distinct = rows.DistinctBy(r => (r.PartnerVerticalId, r.PartnerSubVerticalId)).ToList();
        await MappingStore.UpsertAsync(s, distinct.Select(r => new MappingRowData
        {
            PlatformId = platformId, PartnerVerticalId = r.PartnerVerticalId, PartnerSubVerticalId = r.PartnerSubVerticalId,
            PartnerVerticalName = r.PartnerVerticalName, PartnerSubVerticalName = r.PartnerSubVerticalName,
            NetworkCategoryId = r.NetworkSubVerticalId,
            NetworkSubVerticalId = network[r.NetworkSubVerticalId].SubVerticalId ?? r.NetworkSubVerticalId,
            UpdatedAt = now,
        }));
        // In the load's transaction: every process's cached table is stale from the moment these rows commit.
        await PlatformStore.BumpMappingVersionAsync(s, platformId);
        var updated = distinct.Count(r => existing.Contains((r.PartnerVerticalId, r.PartnerSubVerticalId)));
        return new MappingLoadView(platformId, distinct.Count, distinct.Count - updated, updated);
    }
}
