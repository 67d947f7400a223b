using Dapper;

namespace Partnerships.Storage.Stores;

public sealed class WebhookEndpointRow
{
    public string PlatformId { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string? PreviousSecret { get; set; }
    public string? PreviousSecretExpiresAt { get; set; }
    public string Status { get; set; } = "";
    public long ConsecutiveFailures { get; set; }
    public string? DisabledReason { get; set; }
    public string UpdatedAt { get; set; } = "";
}

public static class WebhookStore
{
    public static Task<WebhookEndpointRow?> GetAsync(DbSession s, string platformId) =>
        s.Connection.QuerySingleOrDefaultAsync<WebhookEndpointRow>("SELECT * FROM webhook_endpoints WHERE platform_id = @platformId",
            new { platformId }, s.Transaction);

    public static Task UpsertAsync(DbSession s, WebhookEndpointRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO webhook_endpoints (platform_id, url, secret, previous_secret, previous_secret_expires_at, status, consecutive_failures, disabled_reason, updated_at)
        VALUES (@PlatformId, @Url, @Secret, @PreviousSecret, @PreviousSecretExpiresAt, @Status, @ConsecutiveFailures, @DisabledReason, @UpdatedAt)
        ON CONFLICT (platform_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, previous_secret = excluded.previous_secret,
            previous_secret_expires_at = excluded.previous_secret_expires_at, status = excluded.status,
            consecutive_failures = excluded.consecutive_failures, disabled_reason = excluded.disabled_reason, updated_at = excluded.updated_at
        """, row, s.Transaction);

    public static Task<int> RecordResultAsync(DbSession s, string platformId, bool success, int disableAfter, string? reason, DateTimeOffset now) => s.Connection.ExecuteAsync(
        success
            ? "UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE platform_id = @platformId"
            : """
              UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1,
                  status = CASE WHEN consecutive_failures + 1 >= @disableAfter THEN 'disabled' ELSE status END,
                  disabled_reason = CASE WHEN consecutive_failures + 1 >= @disableAfter THEN @reason ELSE disabled_reason END,
                  updated_at = @now
              WHERE platform_id = @platformId
              """, new { platformId, disableAfter, reason, now = Database.Timestamp(now) }, s.Transaction);
}
