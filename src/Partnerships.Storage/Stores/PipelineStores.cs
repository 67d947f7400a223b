using Dapper;

namespace Partnerships.Storage.Stores;

public static class IdempotencyStore
{
    public static Task<IdempotencyRow?> FindAsync(DbSession s, string platformId, string scope, string key) =>
        s.Connection.QuerySingleOrDefaultAsync<IdempotencyRow>(
            "SELECT * FROM idempotency_keys WHERE platform_id = @platformId AND scope = @scope AND idem_key = @key",
            new { platformId, scope, key }, s.Transaction);

    /// <summary>Stores a response under its key; an expired record for the same key is replaced.</summary>
    public static Task SaveAsync(DbSession s, IdempotencyRow row) => s.Connection.ExecuteAsync(SaveSql, row, s.Transaction);

    /// <summary><see cref="SaveAsync"/>, sent with the write's other bookkeeping rows before its commit.</summary>
    public static ValueTask QueueSaveAsync(DbSession s, IdempotencyRow row) => s.Pending.AddAsync(SaveSql, row);

    private const string SaveSql = """
        INSERT INTO idempotency_keys (platform_id, scope, idem_key, fingerprint, status_code, response_body, response_headers,
            dry_run, operation_id, created_at, expires_at)
        VALUES (@PlatformId, @Scope, @IdemKey, @Fingerprint, @StatusCode, @ResponseBody, @ResponseHeaders, @DryRun, @OperationId, @CreatedAt, @ExpiresAt)
        ON CONFLICT (platform_id, scope, idem_key) DO UPDATE SET
            fingerprint = excluded.fingerprint, status_code = excluded.status_code, response_body = excluded.response_body,
            response_headers = excluded.response_headers, dry_run = excluded.dry_run, operation_id = excluded.operation_id,
            created_at = excluded.created_at, expires_at = excluded.expires_at
        """;

    /// <summary>Frees a key whose staged operation ended without reaching the provider's state (it refused and created nothing).</summary>
    public static Task<int> DeleteAsync(DbSession s, string platformId, string scope, string key, string operationId) => s.Connection.ExecuteAsync(
        "DELETE FROM idempotency_keys WHERE platform_id = @platformId AND scope = @scope AND idem_key = @key AND operation_id = @operationId",
        new { platformId, scope, key, operationId }, s.Transaction);
}

public static class OperationStore
{
    public static Task InsertAsync(DbSession s, OperationRow row) => s.Connection.ExecuteAsync(InsertSql, row, s.Transaction);

    /// <summary><see cref="InsertAsync"/>, sent with the write's other bookkeeping rows before its commit.</summary>
    public static ValueTask QueueInsertAsync(DbSession s, OperationRow row) => s.Pending.AddAsync(InsertSql, row);

    private const string InsertSql = """
        INSERT INTO operations (id, platform_id, account_id, type, status, request_id, response_status, response_body, error, created_at, updated_at)
        VALUES (@Id, @PlatformId, @AccountId, @Type, @Status, @RequestId, @ResponseStatus, @ResponseBody, @Error, @CreatedAt, @UpdatedAt)
        """;

    public static Task<OperationRow?> GetAsync(DbSession s, string id) =>
        s.Connection.QuerySingleOrDefaultAsync<OperationRow>("SELECT * FROM operations WHERE id = @id", new { id }, s.Transaction);

    public static Task<long> CountAsync(DbSession s) =>
        s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM operations", transaction: s.Transaction);

    /// <summary>Records the outcome of an operation that was staged before its provider call.</summary>
    public static Task<int> FinishAsync(DbSession s, string id, string status, int responseStatus, string responseBody, string? error, DateTimeOffset now) =>
        s.Connection.ExecuteAsync(
            """
            UPDATE operations SET status = @status, response_status = @responseStatus, response_body = @responseBody, error = @error, updated_at = @now
            WHERE id = @id
            """, new { id, status, responseStatus, responseBody, error, now = Database.Timestamp(now) }, s.Transaction);

    /// <summary>A side effect of a completed write dead-lettered: the operation reports it as failed.</summary>
    public static Task<int> MarkFailedAsync(DbSession s, string id, string error, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE operations SET status = 'failed', error = @error, updated_at = @now WHERE id = @id",
        new { id, error, now = Database.Timestamp(now) }, s.Transaction);
}

/// <summary>
/// Which audit entries to read: every filter exact, <c>From</c> inclusive and <c>To</c> exclusive (store timestamps); oldest
/// first after <c>AfterId</c> (the admin route, the CLI, the export), or newest first below <c>BeforeId</c> (the console).
/// </summary>
public sealed record AuditQuery(string? AccountId, string? PlatformId, string? RequestId, bool? DryRun, string? From, string? To, long? AfterId, int Limit,
    string? Actor = null, string? Path = null, string? Outcome = null, string? Action = null, long? BeforeId = null, bool NewestFirst = false);

/// <summary>The outcomes an audit entry records, as the <c>outcome</c> filters name them.</summary>
public static class AuditOutcomes
{
    public const string Committed = "committed";
    public const string DryRun = "dry_run";
    public const string Replayed = "replayed";
    public const string Rejected = "rejected";

    public static IReadOnlyList<string> All { get; } = [Committed, DryRun, Replayed, Rejected];
}

public static class AuditStore
{
    public static Task InsertAsync(DbSession s, AuditRow row) => s.Connection.ExecuteAsync(InsertSql, row, s.Transaction);

    /// <summary><see cref="InsertAsync"/>, sent with the write's other bookkeeping rows before its commit.</summary>
    public static ValueTask QueueInsertAsync(DbSession s, AuditRow row) => s.Pending.AddAsync(InsertSql, row);

    private const string InsertSql = """
        INSERT INTO audit_log (at, request_id, platform_id, credential_id, account_id, method, path, status_code, outcome, dry_run,
            idem_key, hash_before, hash_after, summary, actor, action, target, before_summary, after_summary)
        VALUES (@At, @RequestId, @PlatformId, @CredentialId, @AccountId, @Method, @Path, @StatusCode, @Outcome, @DryRun,
            @IdemKey, @HashBefore, @HashAfter, @Summary, @Actor, @Action, @Target, @BeforeSummary, @AfterSummary)
        """;

    /// <summary>The newest entry's id (0 when the log is empty): where an export stops, so it never chases its own entry.</summary>
    public static Task<long> MaxIdAsync(DbSession s) =>
        s.Connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) FROM audit_log", transaction: s.Transaction);

    public static async Task<IReadOnlyList<AuditRow>> QueryAsync(DbSession s, AuditQuery q)
    {
        var where = new List<string>();
        if (q.AccountId is not null) where.Add("account_id = @AccountId");
        if (q.PlatformId is not null) where.Add("platform_id = @PlatformId");
        if (q.RequestId is not null) where.Add("request_id = @RequestId");
        if (q.DryRun is not null) where.Add("dry_run = @DryRunValue");
        if (q.From is not null) where.Add("at >= @From");
        if (q.To is not null) where.Add("at < @To");
        if (q.AfterId is not null) where.Add("id > @AfterId");
        if (q.BeforeId is not null) where.Add("id < @BeforeId");
        if (q.Actor is not null) where.Add("actor = @Actor");
        if (q.Path is not null) where.Add("path = @Path");
        if (q.Outcome is not null) where.Add("outcome = @Outcome");
        if (q.Action is not null) where.Add("action = @Action");
        var sql = "SELECT * FROM audit_log" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id" + (q.NewestFirst ? " DESC" : "") + " LIMIT @Limit";
        return (await s.Connection.QueryAsync<AuditRow>(sql, new
        {
            q.AccountId, q.PlatformId, q.RequestId, DryRunValue = q.DryRun == true ? 1 : 0, q.From, q.To, q.AfterId, q.BeforeId, q.Limit,
            q.Actor, q.Path, q.Outcome, q.Action,
        }, s.Transaction)).AsList();
    }
}

/// <summary>What a write reads before its handler, locked and looked up in one round trip.</summary>
public sealed record WriteStartRows(AccountRow? Account, IdempotencyRow? Cached, WebhookEndpointRow? Webhook)
{
    /// <summary>The account's controls and its platform's mapping stamp, when asked for.</summary>
    public (ControlsRow? Row, long MappingVersion)? Controls { get; init; }
}

public static class WriteStartStore
{
    /// <summary>
    /// Locks the write's account (or, without one, its platform) to commit, then reads the key's idempotency record and the
    /// platform's webhook endpoint, in one command: the statements run in order, and under READ COMMITTED each takes its
    /// snapshot after the one before, so the record is read with the lock held, as the key's serialisation needs.
    /// </summary>
    public static async Task<WriteStartRows> LockAndReadAsync(DbSession s, string? accountId, string platformId, string scope, string? key,
        bool withControls = false)
    {
        var forUpdate = s.Database.ForUpdate;
        var sql = (accountId is not null
                      ? $"SELECT * FROM accounts WHERE id = @accountId{forUpdate};"
                      : $"SELECT id FROM platforms WHERE id = @platformId{forUpdate};")
                  + (key is not null
                      ? "SELECT * FROM idempotency_keys WHERE platform_id = @platformId AND scope = @scope AND idem_key = @key;"
                      : "")
                  + "SELECT * FROM webhook_endpoints WHERE platform_id = @platformId;"
                  + (withControls && accountId is not null ? ControlsStore.WithMappingVersionSql + ";" : "");
        await using var results = await s.Connection.QueryMultipleAsync(sql, new { accountId, platformId, scope, key }, s.Transaction);
        AccountRow? account = null;
        if (accountId is not null) account = await results.ReadSingleOrDefaultAsync<AccountRow>();
        else await results.ReadSingleOrDefaultAsync<string>();
        var cached = key is not null ? await results.ReadSingleOrDefaultAsync<IdempotencyRow>() : null;
        var webhook = await results.ReadSingleOrDefaultAsync<WebhookEndpointRow>();
        if (!withControls || accountId is null) return new WriteStartRows(account, cached, webhook);
        var controls = (await results.ReadAsync<ControlsWithVersion>()).FirstOrDefault();
        return new WriteStartRows(account, cached, webhook) { Controls = (controls?.ToRow(), controls?.MappingVersion ?? 0) };
    }
}

/// <summary>A controls row read with its platform's mapping stamp in one statement.</summary>
internal sealed class ControlsWithVersion
{
    public string AccountId { get; set; } = "";
    public string MclId { get; set; } = "";
    public string Name { get; set; } = "";
    public string StateJson { get; set; } = "";
    public string NetworkJson { get; set; } = "";
    public long Revision { get; set; }
    public string ContentHash { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
    public long? MappingVersion { get; set; }

    public ControlsRow ToRow() => new()
    {
        AccountId = AccountId, MclId = MclId, Name = Name, StateJson = StateJson, NetworkJson = NetworkJson, Revision = Revision,
        ContentHash = ContentHash, UpdatedAt = UpdatedAt,
    };
}
