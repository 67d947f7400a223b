using Dapper;

namespace Partnerships.Storage.Stores;

public sealed class RateLimitOverrideRow
{
    public string PlatformId { get; set; } = "";
    public string Policy { get; set; } = "";
    public int PerMinute { get; set; }
    public string UpdatedAt { get; set; } = "";
}

/// <summary>Operators' per-platform rate limits, replacing the defaults of one policy for one platform.</summary>
public static class RateLimitStore
{
    public static async Task<IReadOnlyList<RateLimitOverrideRow>> ListAsync(DbSession s, string? platformId = null) =>
        (await s.Connection.QueryAsync<RateLimitOverrideRow>(
            "SELECT platform_id, policy, per_minute, updated_at FROM platform_rate_limits" + (platformId is null ? "" : " WHERE platform_id = @platformId"),
            new { platformId }, s.Transaction)).AsList();

    public static Task<RateLimitOverrideRow?> GetAsync(DbSession s, string platformId, string policy) =>
        s.Connection.QuerySingleOrDefaultAsync<RateLimitOverrideRow?>(
            "SELECT platform_id, policy, per_minute, updated_at FROM platform_rate_limits WHERE platform_id = @platformId AND policy = @policy",
            new { platformId, policy }, s.Transaction);

    public static Task UpsertAsync(DbSession s, string platformId, string policy, int perMinute, DateTimeOffset now) => s.Connection.ExecuteAsync(
        """
        INSERT INTO platform_rate_limits (platform_id, policy, per_minute, updated_at) VALUES (@platformId, @policy, @perMinute, @at)
        ON CONFLICT (platform_id, policy) DO UPDATE SET per_minute = excluded.per_minute, updated_at = excluded.updated_at
        """, new { platformId, policy, perMinute, at = Database.Timestamp(now) }, s.Transaction);

    public static Task<int> DeleteAsync(DbSession s, string platformId, string policy) => s.Connection.ExecuteAsync(
        "DELETE FROM platform_rate_limits WHERE platform_id = @platformId AND policy = @policy", new { platformId, policy }, s.Transaction);
}
