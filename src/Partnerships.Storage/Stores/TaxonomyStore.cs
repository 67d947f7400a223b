using Dapper;

namespace Partnerships.Storage.Stores;

public static class TaxonomyStore
{
    /// <summary>Replaces the network taxonomy. Ids still referenced by a mapping must stay: the caller checks and the foreign data keeps its ids.</summary>
    public static async Task ReplaceAsync(DbSession s, IEnumerable<NetworkCategoryRow> rows)
    {
        await s.Connection.ExecuteAsync("DELETE FROM network_categories", transaction: s.Transaction);
        await s.Connection.ExecuteAsync(
            """
            INSERT INTO network_categories (id, parent_id, name, tier, vertical_id, sub_vertical_id)
            VALUES (@Id, @ParentId, @Name, @Tier, @VerticalId, @SubVerticalId)
            """, rows, s.Transaction);
    }

    public static async Task<IReadOnlyList<NetworkCategoryRow>> ListAsync(DbSession s) =>
        (await s.Connection.QueryAsync<NetworkCategoryRow>("SELECT * FROM network_categories ORDER BY id", transaction: s.Transaction)).AsList();

    public static Task<long> CountAsync(DbSession s) =>
        s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM network_categories", transaction: s.Transaction);

    /// <summary>Serialises taxonomy loads across processes until the transaction ends (SQLite's write transaction already does).</summary>
    public static Task LockAsync(DbSession s) => s.Database.IsPostgres
        ? s.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727102)", transaction: s.Transaction)
        : Task.CompletedTask;
}

public static class MappingStore
{
    /// <summary>Insert or update each row (re-loading a pair updates its names and target).</summary>
    public static Task UpsertAsync(DbSession s, IEnumerable<MappingRowData> rows) => s.Connection.ExecuteAsync(
        """
        INSERT INTO vertical_mappings (platform_id, partner_vertical_id, partner_sub_vertical_id, partner_vertical_name,
            partner_sub_vertical_name, network_category_id, network_sub_vertical_id, updated_at)
        VALUES (@PlatformId, @PartnerVerticalId, @PartnerSubVerticalId, @PartnerVerticalName, @PartnerSubVerticalName,
            @NetworkCategoryId, @NetworkSubVerticalId, @UpdatedAt)
        ON CONFLICT (platform_id, partner_vertical_id, partner_sub_vertical_id) DO UPDATE SET
            partner_vertical_name = excluded.partner_vertical_name,
            partner_sub_vertical_name = excluded.partner_sub_vertical_name,
            network_category_id = excluded.network_category_id,
            network_sub_vertical_id = excluded.network_sub_vertical_id,
            updated_at = excluded.updated_at
        """, rows, s.Transaction);

    public static async Task<IReadOnlyList<MappingRowData>> ListAsync(DbSession s, string platformId) =>
        (await s.Connection.QueryAsync<MappingRowData>(
            "SELECT * FROM vertical_mappings WHERE platform_id = @platformId ORDER BY partner_vertical_id, partner_sub_vertical_id",
            new { platformId }, s.Transaction)).AsList();

    public static Task<MappingRowData?> FindAsync(DbSession s, string platformId, long partnerVerticalId, long partnerSubVerticalId) =>
        s.Connection.QuerySingleOrDefaultAsync<MappingRowData>(
            """
            SELECT * FROM vertical_mappings
            WHERE platform_id = @platformId AND partner_vertical_id = @partnerVerticalId AND partner_sub_vertical_id = @partnerSubVerticalId
            """, new { platformId, partnerVerticalId, partnerSubVerticalId }, s.Transaction);
}
