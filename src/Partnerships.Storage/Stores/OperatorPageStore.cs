using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>The reads operator pages page through newest first: a platform's accounts, its recent deliveries (the audit log: <see cref="AuditStore.QueryAsync"/>).</summary>
public static class OperatorPageStore
{
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
