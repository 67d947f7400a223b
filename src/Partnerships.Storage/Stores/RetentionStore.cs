using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>
/// Rows of one kind that the retention purge may remove: those matching <see cref="Where"/> (with <c>@cutoff</c>), taken
/// oldest first by <see cref="OrderBy"/>, the key of <see cref="Index"/>, so that a batch is a range scan of that index
/// from its oldest row.
/// </summary>
public sealed record PurgeTarget(string Kind, string Table, string Index, string Key, string Where, string OrderBy)
{
    /// <summary>
    /// The batch's rows (<c>@cutoff</c>, <c>@batch</c>), with <paramref name="columns"/> (the key by default). SQLite is
    /// held to the index (a statement it could not answer from it fails rather than scanning the table); PostgreSQL
    /// skips rows another process is deleting.
    /// </summary>
    public string SelectSql(Database database, string? columns = null) => database.IsPostgres
        ? $"SELECT {columns ?? Key} FROM {Table} WHERE {Where} ORDER BY {OrderBy} LIMIT @batch FOR UPDATE SKIP LOCKED"
        : $"SELECT {columns ?? Key} FROM {Table} INDEXED BY {Index} WHERE {Where} ORDER BY {OrderBy} LIMIT @batch";
}

/// <summary>
/// The retention purge's statements: each removes at most one batch of rows past their window, so its transaction stays
/// short. What is never taken: operations not finished, outbox messages not delivered (due, retrying, dead-lettered), the
/// feed's newest event (positions continue from it), and idempotency records of an operation still between its phases.
/// </summary>
public static class RetentionStore
{
    /// <summary>Idempotency records past their expiry (<c>@cutoff</c> is now); a staged operation keeps its key bound until it is recorded.</summary>
    public static readonly PurgeTarget IdempotencyRecords = new("idempotency records", "idempotency_keys", "ix_idempotency_keys_expires", "platform_id, scope, idem_key",
        "expires_at <= @cutoff AND NOT EXISTS (SELECT 1 FROM staged_operations so WHERE so.operation_id = idempotency_keys.operation_id)",
        "expires_at");

    /// <summary>Finished operations (their stored responses with them), by when their outcome was last recorded.</summary>
    public static readonly PurgeTarget Operations = new("operations", "operations", "ix_operations_finished", "id",
        "status IN ('completed', 'failed') AND updated_at < @cutoff", "updated_at");

    /// <summary>Delivered outbox messages, by when they were delivered.</summary>
    public static readonly PurgeTarget DeliveredMessages = new("delivered outbox messages", "outbox_messages", "ix_outbox_delivered", "id",
        "status = 'delivered' AND delivered_at < @cutoff", "delivered_at");

    /// <summary>Outbox messages withdrawn because their recipient's data was erased (nothing left to deliver), by when they were created.</summary>
    public static readonly PurgeTarget WithdrawnMessages = new("withdrawn outbox messages", "outbox_messages", "ix_outbox_cancelled", "id",
        "status = 'cancelled' AND created_at < @cutoff", "created_at");

    /// <summary>Feed events, except the newest positioned one: new positions count on from the highest kept.</summary>
    public static readonly PurgeTarget Events = new("events", "events", "ix_events_created", "seq",
        "created_at < @cutoff AND position < (SELECT MAX(position) FROM events)", "created_at");

    /// <summary>Audit entries, partner and operator alike.</summary>
    public static readonly PurgeTarget AuditEntries = new("audit entries", "audit_log", "ix_audit_log_at", "id", "at < @cutoff", "at");

    /// <summary>Removes one batch of <paramref name="target"/>'s rows past <paramref name="cutoff"/>; returns how many.</summary>
    public static Task<int> DeleteBatchAsync(DbSession s, PurgeTarget target, DateTimeOffset cutoff, int batch) => s.Connection.ExecuteAsync(
        $"DELETE FROM {target.Table} WHERE ({target.Key}) IN ({target.SelectSql(s.Database)})",
        new { cutoff = Database.Timestamp(cutoff), batch }, s.Transaction);

    /// <summary>One batch of outbox messages past <paramref name="cutoff"/>, read first so that their pickup-folder copies can go before them.</summary>
    public static async Task<IReadOnlyList<PurgedMessage>> MessagesAsync(DbSession s, PurgeTarget target, DateTimeOffset cutoff, int batch) =>
        (await s.Connection.QueryAsync<PurgedMessage>(
            target.SelectSql(s.Database, "id, channel, message_id"),
            new { cutoff = Database.Timestamp(cutoff), batch }, s.Transaction)).AsList();

    /// <summary>Removes the given messages, if they are still delivered or withdrawn (a message's state never leaves those).</summary>
    public static Task<int> DeleteMessagesAsync(DbSession s, long[] ids) => s.Connection.ExecuteAsync(
        // PostgreSQL takes the array as one parameter; Dapper spreads it into a list for SQLite.
        $"DELETE FROM outbox_messages WHERE {(s.Database.IsPostgres ? "id = ANY(@ids)" : "id IN @ids")} AND status IN ('delivered', 'cancelled')",
        new { ids }, s.Transaction);
}

/// <summary>An outbox message the purge is about to remove.</summary>
public sealed class PurgedMessage
{
    public long Id { get; set; }
    public string Channel { get; set; } = "";
    public string MessageId { get; set; } = "";
}
