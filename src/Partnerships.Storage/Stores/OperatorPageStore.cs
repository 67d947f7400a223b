using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>What the audit log page filters by: exact platform, account, action, actor, request id and outcome, and a time range (store timestamps, from inclusive).</summary>
public sealed record AuditLogFilter(string? PlatformId = null, string? Action = null, string? Actor = null, string? From = null, string? To = null,
    string? AccountId = null, string? RequestId = null, string? Outcome = null);

/// <summary>The reads operator pages page through newest first: the audit log, a platform's accounts, its recent deliveries.</summary>
public static class OperatorPageStore
{
    /// <summary>Audit entries matching the filters, newest first, strictly below <paramref name="beforeId"/> when given.</summary>
    public static async Task<IReadOnlyList<AuditRow>> AuditNewestFirstAsync(DbSession s, AuditLogFilter f, long? beforeId, int limit)
    {
        var where = new List<string>();
        if (f.PlatformId is not null) where.Add("platform_id = @PlatformId");
        if (f.AccountId is not null) where.Add("account_id = @AccountId");
        if (f.Action is not null) where.Add("action = @Action");
        if (f.Actor is not null) where.Add("actor = @Actor");
        if (f.RequestId is not null) where.Add("request_id = @RequestId");
        if (f.Outcome is not null) where.Add("outcome = @Outcome");
        if (f.From is not null) where.Add("at >= @From");
        if (f.To is not null) where.Add("at < @To");
        if (beforeId is not null) where.Add("id < @BeforeId");
        var sql = "SELECT * FROM audit_log" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC LIMIT @Limit";
        return (await s.Connection.QueryAsync<AuditRow>(sql, new
        {
            f.PlatformId, f.AccountId, f.Action, f.Actor, f.RequestId, f.Outcome, f.From, f.To, BeforeId = beforeId, Limit = limit,
        }, s.Transaction)).AsList();
    }

    /// <summary>A platform's accounts, every relationship state, newest first, from <paramref name="offset"/>.</summary>
    public static async Task<IReadOnlyList<AccountRow>> AccountsNewestFirstAsync(DbSession s, string platformId, int offset, int limit) =>
        (await s.Connection.QueryAsync<AccountRow>(
            "SELECT * FROM accounts WHERE platform_id = @platformId ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
            new { platformId, limit, offset }, s.Transaction)).AsList();

    /// <summary>A platform's newest outbox messages on one channel.</summary>
    public static async Task<IReadOnlyList<OutboxRow>> RecentMessagesAsync(DbSession s, string platformId, string channel, int limit) =>
        (await s.Connection.QueryAsync<OutboxRow>(
            "SELECT * FROM outbox_messages WHERE platform_id = @platformId AND channel = @channel ORDER BY id DESC LIMIT @limit",
            new { platformId, channel, limit }, s.Transaction)).AsList();
}
