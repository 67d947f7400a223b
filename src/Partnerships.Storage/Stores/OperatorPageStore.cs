using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>The reads operator pages page through newest first: the audit log, a platform's accounts, its recent deliveries.</summary>
public static class OperatorPageStore
{
    /// <summary>Audit entries matching the filters, newest first, strictly below <paramref name="beforeId"/> when given.</summary>
    public static async Task<IReadOnlyList<AuditRow>> AuditNewestFirstAsync(DbSession s, string? platformId, string? action, string? actor,
        string? from, string? to, long? beforeId, int limit)
    {
        var where = new List<string>();
        if (platformId is not null) where.Add("platform_id = @platformId");
        if (action is not null) where.Add("action = @action");
        if (actor is not null) where.Add("actor = @actor");
        if (from is not null) where.Add("at >= @from");
        if (to is not null) where.Add("at < @to");
        if (beforeId is not null) where.Add("id < @beforeId");
        var sql = "SELECT * FROM audit_log" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC LIMIT @limit";
        return (await s.Connection.QueryAsync<AuditRow>(sql, new { platformId, action, actor, from, to, beforeId, limit }, s.Transaction)).AsList();
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
