using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>A network privacy request: never the identifier in clear, only its keyed hash and, until erased, its sealed form.</summary>
public sealed class PrivacyRequestRow
{
    public string Id { get; set; } = "";
    public string PlatformId { get; set; } = "";
    public string RequestType { get; set; } = "";
    public string IdentifierKind { get; set; } = "";
    public string IdentifierHash { get; set; } = "";
    public string? SealedIdentifier { get; set; }
    public string Status { get; set; } = "";
    public string RequestId { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? DeliveredAt { get; set; }
    public string? AcknowledgedAt { get; set; }
    public string? ErasedAt { get; set; }
    public string EraseBy { get; set; } = "";
}

public static class PrivacyRequestStore
{
    public const string Submitted = "submitted";
    public const string Delivered = "delivered";
    public const string Acknowledged = "acknowledged";
    public const string Expired = "expired";

    public static Task InsertAsync(DbSession s, PrivacyRequestRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO network_privacy_requests (id, platform_id, request_type, identifier_kind, identifier_hash, sealed_identifier, status,
            request_id, created_at, erase_by)
        VALUES (@Id, @PlatformId, @RequestType, @IdentifierKind, @IdentifierHash, @SealedIdentifier, @Status, @RequestId, @CreatedAt, @EraseBy)
        """, row, s.Transaction);

    public static Task<PrivacyRequestRow?> GetAsync(DbSession s, string id) => s.Connection.QuerySingleOrDefaultAsync<PrivacyRequestRow>(
        $"SELECT * FROM network_privacy_requests WHERE id = @id{(s.Transaction is null ? "" : s.Database.ForUpdate)}", new { id }, s.Transaction);

    /// <summary>Newest first, optionally one platform's or one status's.</summary>
    public static async Task<IReadOnlyList<PrivacyRequestRow>> ListAsync(DbSession s, string? platformId, string? status, int limit) =>
        (await s.Connection.QueryAsync<PrivacyRequestRow>(
            """
            SELECT * FROM network_privacy_requests
            WHERE (@platformId IS NULL OR platform_id = @platformId) AND (@status IS NULL OR status = @status)
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """, new { platformId, status, limit }, s.Transaction)).AsList();

    /// <summary>The pipeline answered 2xx: it holds the request now, so the sealed copy goes in the same statement.</summary>
    public static Task<int> MarkDeliveredAsync(DbSession s, string id, DateTimeOffset now) => s.Connection.ExecuteAsync(
        """
        UPDATE network_privacy_requests SET status = 'delivered', delivered_at = @now, sealed_identifier = NULL, erased_at = COALESCE(erased_at, @now)
        WHERE id = @id AND status = 'submitted'
        """, new { id, now = Database.Timestamp(now) }, s.Transaction);

    /// <summary>The pipeline (or an operator for it) confirms it has taken the request; whatever was still sealed is erased.</summary>
    public static Task<int> AcknowledgeAsync(DbSession s, string id, DateTimeOffset now) => s.Connection.ExecuteAsync(
        """
        UPDATE network_privacy_requests SET status = 'acknowledged', acknowledged_at = @now, sealed_identifier = NULL, erased_at = COALESCE(erased_at, @now)
        WHERE id = @id AND status <> 'acknowledged'
        """, new { id, now = Database.Timestamp(now) }, s.Transaction);

    /// <summary>Requests never taken within the retention window lose their sealed copy; only the hash remains.</summary>
    public static Task<int> ExpireAsync(DbSession s, DateTimeOffset now) => s.Connection.ExecuteAsync(
        """
        UPDATE network_privacy_requests SET status = 'expired', sealed_identifier = NULL, erased_at = @now
        WHERE status = 'submitted' AND erase_by <= @now
        """, new { now = Database.Timestamp(now) }, s.Transaction);
}
