using Dapper;

namespace Partnerships.Storage.Stores;

public static class AccountStore
{
    public static Task InsertAsync(DbSession s, AccountRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO accounts (id, platform_id, external_account_id, brand, partner_vertical_id, partner_sub_vertical_id,
            network_sub_vertical_id, country_code, store_identifier, contact_email, status, relationship_status, created_at, updated_at)
        VALUES (@Id, @PlatformId, @ExternalAccountId, @Brand, @PartnerVerticalId, @PartnerSubVerticalId,
            @NetworkSubVerticalId, @CountryCode, @StoreIdentifier, @ContactEmail, @Status, @RelationshipStatus, @CreatedAt, @UpdatedAt)
        """, row, s.Transaction);

    public static Task<AccountRow?> GetAsync(DbSession s, string id) =>
        s.Connection.QuerySingleOrDefaultAsync<AccountRow>("SELECT * FROM accounts WHERE id = @id", new { id }, s.Transaction);

    /// <summary>Reads the account and holds its row lock until the transaction ends: every write to one account serialises here.</summary>
    public static Task<AccountRow?> LockAsync(DbSession s, string id) =>
        s.Connection.QuerySingleOrDefaultAsync<AccountRow>($"SELECT * FROM accounts WHERE id = @id{s.Database.ForUpdate}", new { id }, s.Transaction);

    public static Task<AccountRow?> FindByExternalIdAsync(DbSession s, string platformId, string externalAccountId) =>
        s.Connection.QuerySingleOrDefaultAsync<AccountRow>(
            "SELECT * FROM accounts WHERE platform_id = @platformId AND external_account_id = @externalAccountId",
            new { platformId, externalAccountId }, s.Transaction);

    public static async Task<IReadOnlyList<AccountRow>> ListAsync(DbSession s, string platformId) =>
        (await s.Connection.QueryAsync<AccountRow>("SELECT * FROM accounts WHERE platform_id = @platformId ORDER BY created_at, id", new { platformId }, s.Transaction)).AsList();

    /// <summary>
    /// One page of a platform's listed accounts (relationship active), newest first: <c>created_at</c> descending, then
    /// <c>id</c> descending so that equal timestamps still have one order. <paramref name="after"/> is the last account of
    /// the previous page; the page starts strictly below it (keyset pagination), so a row inserted meanwhile neither
    /// repeats nor shifts an account. Reads <paramref name="take"/> rows at most (the caller asks for one more than a page
    /// to learn whether another follows). Served by ix_accounts_platform_created.
    /// </summary>
    public static async Task<IReadOnlyList<AccountRow>> ListPageAsync(DbSession s, string platformId, int take, AccountRow? after,
        string? externalAccountId, string? status)
    {
        var sql = new System.Text.StringBuilder("SELECT * FROM accounts WHERE platform_id = @platformId AND relationship_status = 'active'");
        if (externalAccountId is not null) sql.Append(" AND external_account_id = @externalAccountId");
        if (status is not null) sql.Append(" AND status = @status");
        if (after is not null) sql.Append(" AND (created_at < @afterCreatedAt OR (created_at = @afterCreatedAt AND id < @afterId))");
        sql.Append(" ORDER BY created_at DESC, id DESC LIMIT @take");
        return (await s.Connection.QueryAsync<AccountRow>(sql.ToString(), new
        {
            platformId, take, externalAccountId, status, afterCreatedAt = after?.CreatedAt, afterId = after?.Id,
        }, s.Transaction)).AsList();
    }

    public static Task<int> SetStatusAsync(DbSession s, string id, string status, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE accounts SET status = @status, updated_at = @at WHERE id = @id", new { id, status, at = Database.Timestamp(now) }, s.Transaction);

    public static Task<int> SetRelationshipAsync(DbSession s, string id, string relationshipStatus, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE accounts SET relationship_status = @relationshipStatus, updated_at = @at WHERE id = @id",
        new { id, relationshipStatus, at = Database.Timestamp(now) }, s.Transaction);
}

public static class ControlsStore
{
    public static Task InsertAsync(DbSession s, ControlsRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO marketplace_controls (account_id, mcl_id, name, state_json, network_json, revision, content_hash, updated_at)
        VALUES (@AccountId, @MclId, @Name, @StateJson, @NetworkJson, @Revision, @ContentHash, @UpdatedAt)
        """, row, s.Transaction);

    public static Task<ControlsRow?> GetAsync(DbSession s, string accountId) =>
        s.Connection.QuerySingleOrDefaultAsync<ControlsRow>("SELECT * FROM marketplace_controls WHERE account_id = @accountId", new { accountId }, s.Transaction);

    /// <summary>
    /// The account's controls and the version stamp of its platform's mapping table, in one statement: a read learns
    /// whether its cached table is current without a round trip of its own, and a write, reading this after its row
    /// lock, learns the stamp inside its transaction.
    /// </summary>
    public static async Task<(ControlsRow? Row, long MappingVersion)> GetWithMappingVersionAsync(DbSession s, string accountId, string platformId)
    {
        await using var reader = await s.Connection.ExecuteReaderAsync(WithMappingVersionSql, new { accountId, platformId }, s.Transaction);
        if (!await reader.ReadAsync()) return (null, 0);
        var row = reader.GetRowParser<ControlsRow>()(reader);
        var ordinal = reader.GetOrdinal("mapping_version");
        return (row, await reader.IsDBNullAsync(ordinal) ? 0 : reader.GetInt64(ordinal));
    }

    /// <summary>
    /// A controls GET's one statement: the account (for the tenancy check), its controls and the version stamp of its
    /// platform's mapping table, so a read with a cached table makes exactly one round trip.
    /// </summary>
    public static async Task<(AccountRow? Account, ControlsRow? Controls, long MappingVersion)> GetAccountWithControlsAsync(DbSession s, string accountId)
    {
        var rows = await s.Connection.QueryAsync<AccountRow, ControlsRow?, long?, (AccountRow, ControlsRow?, long?)>(
            """
            SELECT a.*, c.*, p.mapping_version
            FROM accounts a
            LEFT JOIN marketplace_controls c ON c.account_id = a.id
            LEFT JOIN platforms p ON p.id = a.platform_id
            WHERE a.id = @accountId
            """, (account, controls, version) => (account, controls?.AccountId is null ? null : controls, version),
            new { accountId }, s.Transaction, splitOn: "account_id,mapping_version");
        foreach (var (account, controls, version) in rows) return (account, controls, version ?? 0);
        return (null, null, 0);
    }

    /// <summary>The controls of <c>@accountId</c> with the mapping stamp of <c>@platformId</c>.</summary>
    public const string WithMappingVersionSql =
        "SELECT c.*, (SELECT mapping_version FROM platforms WHERE id = @platformId) AS mapping_version FROM marketplace_controls c WHERE c.account_id = @accountId";

    /// <summary>
    /// <see cref="UpdateAsync"/> sent with the write's other rows (one round trip on PostgreSQL). The write holds the account's
    /// lock, so the revision cannot have moved; if it had, the whole write fails rather than lose an update.
    /// </summary>
    public static ValueTask QueueUpdateAsync(DbSession s, ControlsRow row, long expectedRevision) => s.Pending.AddAsync(
        """
        UPDATE marketplace_controls SET name = @Name, state_json = @StateJson, network_json = @NetworkJson, revision = @Revision,
            content_hash = @ContentHash, updated_at = @UpdatedAt
        WHERE account_id = @AccountId AND revision = @ExpectedRevision
        """, new ControlsUpdate(row.Name, row.StateJson, row.NetworkJson, row.Revision, row.ContentHash, row.UpdatedAt, row.AccountId, expectedRevision),
        expectRows: 1);

    private sealed record ControlsUpdate(string Name, string StateJson, string NetworkJson, long Revision, string ContentHash, string UpdatedAt,
        string AccountId, long ExpectedRevision);

    /// <summary>Conditional on the revision read under the lock, so a lost update is impossible even if a caller forgot the lock.</summary>
    public static Task<int> UpdateAsync(DbSession s, ControlsRow row, long expectedRevision) => s.Connection.ExecuteAsync(
        """
        UPDATE marketplace_controls SET name = @Name, state_json = @StateJson, network_json = @NetworkJson, revision = @Revision,
            content_hash = @ContentHash, updated_at = @UpdatedAt
        WHERE account_id = @AccountId AND revision = @expectedRevision
        """, new { row.Name, row.StateJson, row.NetworkJson, row.Revision, row.ContentHash, row.UpdatedAt, row.AccountId, expectedRevision }, s.Transaction);
}

public static class PageStore
{
    public static Task InsertPageAsync(DbSession s, PageRow row) => s.Connection.ExecuteAsync(
        "INSERT INTO pages (id, account_id, surface, page_identifier, created_at) VALUES (@Id, @AccountId, @Surface, @PageIdentifier, @CreatedAt)",
        row, s.Transaction);

    public static Task InsertVariantAsync(DbSession s, PageVariantRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO page_variants (id, page_id, account_id, name, status, created_at, updated_at)
        VALUES (@Id, @PageId, @AccountId, @Name, @Status, @CreatedAt, @UpdatedAt)
        """, row, s.Transaction);

    public static Task InsertLayoutAsync(DbSession s, LayoutRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO layouts (id, page_id, account_id, layout_type, primary_color, background_color, text_color, close_button_color, border_radius, updated_at, active)
        VALUES (@Id, @PageId, @AccountId, @LayoutType, @PrimaryColor, @BackgroundColor, @TextColor, @CloseButtonColor, @BorderRadius, @UpdatedAt, @Active)
        """, row, s.Transaction);

    public static async Task<IReadOnlyList<PageRow>> ListPagesAsync(DbSession s, string accountId) =>
        (await s.Connection.QueryAsync<PageRow>("SELECT * FROM pages WHERE account_id = @accountId ORDER BY created_at, surface", new { accountId }, s.Transaction)).AsList();

    public static Task<PageRow?> GetPageAsync(DbSession s, string accountId, string pageId) =>
        s.Connection.QuerySingleOrDefaultAsync<PageRow>("SELECT * FROM pages WHERE id = @pageId AND account_id = @accountId", new { accountId, pageId }, s.Transaction);

    public static async Task<IReadOnlyList<LayoutRow>> ListPageLayoutsAsync(DbSession s, string pageId) =>
        (await s.Connection.QueryAsync<LayoutRow>("SELECT * FROM layouts WHERE page_id = @pageId ORDER BY layout_type", new { pageId }, s.Transaction)).AsList();

    /// <summary>Makes <paramref name="layoutId"/> the page's active layout: the old one is cleared first, as at most one may be active.</summary>
    public static async Task ActivateLayoutAsync(DbSession s, string pageId, string layoutId)
    {
        await s.Connection.ExecuteAsync("UPDATE layouts SET active = 0 WHERE page_id = @pageId AND active = 1 AND id <> @layoutId",
            new { pageId, layoutId }, s.Transaction);
        await s.Connection.ExecuteAsync("UPDATE layouts SET active = 1 WHERE page_id = @pageId AND id = @layoutId", new { pageId, layoutId }, s.Transaction);
    }

    public static async Task<IReadOnlyList<PageVariantRow>> ListVariantsAsync(DbSession s, string accountId) =>
        (await s.Connection.QueryAsync<PageVariantRow>("SELECT * FROM page_variants WHERE account_id = @accountId ORDER BY created_at, id", new { accountId }, s.Transaction)).AsList();

    public static async Task<IReadOnlyList<LayoutRow>> ListLayoutsAsync(DbSession s, string accountId) =>
        (await s.Connection.QueryAsync<LayoutRow>("SELECT * FROM layouts WHERE account_id = @accountId ORDER BY id", new { accountId }, s.Transaction)).AsList();

    /// <summary>The pages of several accounts in one query, each account's in <see cref="ListPagesAsync"/>'s order.</summary>
    public static async Task<IReadOnlyList<PageRow>> ListPagesOfAsync(DbSession s, IReadOnlyList<string> accountIds) => accountIds.Count == 0 ? [] :
        (await s.Connection.QueryAsync<PageRow>($"SELECT * FROM pages WHERE account_id {AnyOf(s)} ORDER BY created_at, surface", new { accountIds = accountIds.ToArray() }, s.Transaction)).AsList();

    /// <summary>The layouts of several accounts in one query, each account's in <see cref="ListLayoutsAsync"/>'s order.</summary>
    public static async Task<IReadOnlyList<LayoutRow>> ListLayoutsOfAsync(DbSession s, IReadOnlyList<string> accountIds) => accountIds.Count == 0 ? [] :
        (await s.Connection.QueryAsync<LayoutRow>($"SELECT * FROM layouts WHERE account_id {AnyOf(s)} ORDER BY id", new { accountIds = accountIds.ToArray() }, s.Transaction)).AsList();

    /// <summary>Membership in the <c>@accountIds</c> array: PostgreSQL takes it as one array parameter, SQLite as Dapper's expanded list.</summary>
    private static string AnyOf(DbSession s) => s.Database.IsPostgres ? "= ANY(@accountIds)" : "IN @accountIds";

    public static Task<LayoutRow?> GetLayoutAsync(DbSession s, string accountId, string layoutId) =>
        s.Connection.QuerySingleOrDefaultAsync<LayoutRow>("SELECT * FROM layouts WHERE id = @layoutId AND account_id = @accountId", new { accountId, layoutId }, s.Transaction);

    public static Task<int> UpdateLayoutAsync(DbSession s, LayoutRow row) => s.Connection.ExecuteAsync(
        """
        UPDATE layouts SET primary_color = @PrimaryColor, background_color = @BackgroundColor, text_color = @TextColor,
            close_button_color = @CloseButtonColor, border_radius = @BorderRadius, updated_at = @UpdatedAt
        WHERE id = @Id AND account_id = @AccountId
        """, row, s.Transaction);

    /// <summary>The status cascade: every variant that is not archived follows the account.</summary>
    public static Task<int> CascadeVariantStatusAsync(DbSession s, string accountId, string status, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE page_variants SET status = @status, updated_at = @at WHERE account_id = @accountId AND status <> 'archived' AND status <> @status",
        new { accountId, status, at = Database.Timestamp(now) }, s.Transaction);

    public static Task<int> SetVariantStatusAsync(DbSession s, string variantId, string status, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE page_variants SET status = @status, updated_at = @at WHERE id = @variantId",
        new { variantId, status, at = Database.Timestamp(now) }, s.Transaction);
}
