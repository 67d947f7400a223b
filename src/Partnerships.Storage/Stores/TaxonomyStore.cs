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

    /// <summary>The taxonomy's rows with the version stamp they belong to (read as <see cref="MappingStore.ListVersionedAsync"/> reads a mapping table).</summary>
    public static async Task<(long Version, IReadOnlyList<NetworkCategoryRow> Rows)> ListVersionedAsync(DbSession s)
    {
        var version = await VersionAsync(s);
        var rows = new List<NetworkCategoryRow>();
        await using var reader = await s.Connection.ExecuteReaderAsync(
            "SELECT c.*, (SELECT version FROM reference_versions WHERE name = 'network_taxonomy') AS reference_version FROM network_categories c ORDER BY c.id",
            transaction: s.Transaction);
        var parse = reader.GetRowParser<NetworkCategoryRow>();
        var ordinal = reader.GetOrdinal("reference_version");
        while (await reader.ReadAsync())
        {
            rows.Add(parse(reader));
            version = reader.GetInt64(ordinal);
        }
        return (version, rows);
    }

    public static async Task<long> VersionAsync(DbSession s) => await s.Connection.ExecuteScalarAsync<long?>(
        "SELECT version FROM reference_versions WHERE name = 'network_taxonomy'", transaction: s.Transaction) ?? 0;

    /// <summary>Called in the transaction that replaces the taxonomy.</summary>
    public static Task BumpVersionAsync(DbSession s) => s.Connection.ExecuteAsync(
        "UPDATE reference_versions SET version = version + 1 WHERE name = 'network_taxonomy'", transaction: s.Transaction);

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

    /// <summary>
    /// The platform's rows with the version stamp they belong to. The stamp rides on every row (one statement, one
    /// snapshot); for an empty table it is read first, so the rows are never older than the stamp they are filed under.
    /// </summary>
    public static async Task<(long Version, IReadOnlyList<MappingRowData> Rows)> ListVersionedAsync(DbSession s, string platformId)
    {
        var version = await PlatformStore.MappingVersionAsync(s, platformId);
        var rows = new List<MappingRowData>();
        await using var reader = await s.Connection.ExecuteReaderAsync(
            """
            SELECT m.*, (SELECT mapping_version FROM platforms WHERE id = @platformId) AS mapping_version
            FROM vertical_mappings m WHERE m.platform_id = @platformId ORDER BY m.partner_vertical_id, m.partner_sub_vertical_id
            """, new { platformId }, s.Transaction);
        var parse = reader.GetRowParser<MappingRowData>();
        var ordinal = reader.GetOrdinal("mapping_version");
        while (await reader.ReadAsync())
        {
            rows.Add(parse(reader));
            version = reader.GetInt64(ordinal);
        }
        return (version, rows);
    }

    public static Task<MappingRowData?> FindAsync(DbSession s, string platformId, long partnerVerticalId, long partnerSubVerticalId) =>
        s.Connection.QuerySingleOrDefaultAsync<MappingRowData>(
            """
            SELECT * FROM vertical_mappings
            WHERE platform_id = @platformId AND partner_vertical_id = @partnerVerticalId AND partner_sub_vertical_id = @partnerSubVerticalId
            """, new { platformId, partnerVerticalId, partnerSubVerticalId }, s.Transaction);
}
