using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>An operation between its phases: staged, its provider call not yet recorded.</summary>
public sealed class StagedOperationRow
{
    public string OperationId { get; set; } = "";
    public string Type { get; set; } = "";
    public string PlatformId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string? CredentialId { get; set; }
    public string RequestId { get; set; } = "";
    public string Method { get; set; } = "";
    public string Path { get; set; } = "";
    public string IdemKey { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public string ProviderKey { get; set; } = "";
    public string ProviderRequest { get; set; } = "";
    public long Attempts { get; set; }
    public string? LockedBy { get; set; }
    public string? LockedUntil { get; set; }
    public string NextAttemptAt { get; set; } = "";
    public string? LastError { get; set; }
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public static class StagedOperationStore
{
    public static Task InsertAsync(DbSession s, StagedOperationRow row) => s.Connection.ExecuteAsync(
        """
        INSERT INTO staged_operations (operation_id, type, platform_id, account_id, credential_id, request_id, method, path, idem_key, fingerprint,
            provider_key, provider_request, attempts, locked_by, locked_until, next_attempt_at, last_error, created_at, updated_at)
        VALUES (@OperationId, @Type, @PlatformId, @AccountId, @CredentialId, @RequestId, @Method, @Path, @IdemKey, @Fingerprint,
            @ProviderKey, @ProviderRequest, @Attempts, @LockedBy, @LockedUntil, @NextAttemptAt, @LastError, @CreatedAt, @UpdatedAt)
        """, row, s.Transaction);

    public static Task<StagedOperationRow?> GetAsync(DbSession s, string operationId) =>
        s.Connection.QuerySingleOrDefaultAsync<StagedOperationRow>("SELECT * FROM staged_operations WHERE operation_id = @operationId",
            new { operationId }, s.Transaction);

    public static Task<StagedOperationRow?> ForAccountAsync(DbSession s, string accountId, string type) =>
        s.Connection.QuerySingleOrDefaultAsync<StagedOperationRow>("SELECT * FROM staged_operations WHERE account_id = @accountId AND type = @type",
            new { accountId, type }, s.Transaction);

    /// <summary>
    /// Takes the lease if nobody holds it (or its holder's lease ran out). One conditional UPDATE, so of several processes
    /// racing for the same row exactly one wins, on both stores.
    /// </summary>
    public static async Task<bool> TryLeaseAsync(DbSession s, string operationId, string owner, DateTimeOffset now, DateTimeOffset until) =>
        await s.Connection.ExecuteAsync(
            """
            UPDATE staged_operations SET locked_by = @owner, locked_until = @until, attempts = attempts + 1, updated_at = @now
            WHERE operation_id = @operationId AND (locked_until IS NULL OR locked_until < @now)
            """, new { operationId, owner, now = Database.Timestamp(now), until = Database.Timestamp(until) }, s.Transaction) == 1;

    /// <summary>Gives the lease back after a failed provider call, and says when the recoverer should ask again.</summary>
    public static Task<int> ReleaseAsync(DbSession s, string operationId, string owner, string error, DateTimeOffset nextAttempt, DateTimeOffset now) =>
        s.Connection.ExecuteAsync(
            """
            UPDATE staged_operations SET locked_by = NULL, locked_until = NULL, last_error = @error, next_attempt_at = @next, updated_at = @now
            WHERE operation_id = @operationId AND locked_by = @owner
            """, new { operationId, owner, error, next = Database.Timestamp(nextAttempt), now = Database.Timestamp(now) }, s.Transaction);

    public static Task<int> DeleteAsync(DbSession s, string operationId) =>
        s.Connection.ExecuteAsync("DELETE FROM staged_operations WHERE operation_id = @operationId", new { operationId }, s.Transaction);

    /// <summary>Ends a staged operation only while <paramref name="owner"/> still holds its lease (an expired lease may have passed to another attempt).</summary>
    public static Task<int> DeleteOwnedAsync(DbSession s, string operationId, string owner) =>
        s.Connection.ExecuteAsync("DELETE FROM staged_operations WHERE operation_id = @operationId AND locked_by = @owner",
            new { operationId, owner }, s.Transaction);

    /// <summary>Operations of one type due for their next attempt: nobody holds them and it is time. A read; claiming is <see cref="TryLeaseAsync"/>.</summary>
    public static async Task<IReadOnlyList<StagedOperationRow>> DueAsync(DbSession s, string type, DateTimeOffset now, int limit) =>
        (await s.Connection.QueryAsync<StagedOperationRow>(
            """
            SELECT * FROM staged_operations WHERE type = @type AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
            ORDER BY next_attempt_at LIMIT @limit
            """, new { type, now = Database.Timestamp(now), limit }, s.Transaction)).AsList();

    /// <summary>Whether <paramref name="owner"/> still holds the operation's lease (it may have run out and passed to another process).</summary>
    public static async Task<bool> HoldsAsync(DbSession s, string operationId, string owner, DateTimeOffset now) =>
        await s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM staged_operations WHERE operation_id = @operationId AND locked_by = @owner AND locked_until >= @now",
            new { operationId, owner, now = Database.Timestamp(now) }, s.Transaction) == 1;
}
