using Dapper;

namespace Partnerships.Storage.Stores;

public sealed class OutboxRow
{
    public long Id { get; set; }
    public string MessageId { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Topic { get; set; } = "";
    public string? PlatformId { get; set; }
    public string? AccountId { get; set; }
    public string? OperationId { get; set; }
    public string Payload { get; set; } = "";
    public string Status { get; set; } = "";
    public long Attempts { get; set; }
    public string NextAttemptAt { get; set; } = "";
    public string? LockedBy { get; set; }
    public string? LockedUntil { get; set; }
    public string? LastError { get; set; }
    public string CreatedAt { get; set; } = "";
    public string? DeliveredAt { get; set; }
}

public sealed class EventRow
{
    public long Seq { get; set; }
    /// <summary>The event's place in the feed, the cursor readers follow; null until assigned (PostgreSQL, just after commit).</summary>
    public long? Position { get; set; }
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string? PlatformId { get; set; }
    public string? AccountId { get; set; }
    public string? OperationId { get; set; }
    public string Payload { get; set; } = "";
    public string CreatedAt { get; set; } = "";
}

public static class OutboxStore
{
    public static Task InsertAsync(DbSession s, OutboxRow row) => s.Connection.ExecuteAsync(InsertSql, row, s.Transaction);

    /// <summary><see cref="InsertAsync"/>, sent with the write's other bookkeeping rows before its commit.</summary>
    public static ValueTask QueueInsertAsync(DbSession s, OutboxRow row) => s.Pending.AddAsync(InsertSql, row);

    private const string InsertSql = """
        INSERT INTO outbox_messages (message_id, channel, topic, platform_id, account_id, operation_id, payload, status, attempts,
            next_attempt_at, created_at)
        VALUES (@MessageId, @Channel, @Topic, @PlatformId, @AccountId, @OperationId, @Payload, 'pending', 0, @NextAttemptAt, @CreatedAt)
        """;

    /// <summary>A read-only look for due work, so an idle dispatcher never takes SQLite's write lock.</summary>
    public static Task<bool> AnyDueAsync(DbSession s, DateTimeOffset now) => s.Connection.ExecuteScalarAsync<bool>(
        "SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now))",
        new { now = Database.Timestamp(now) }, s.Transaction);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due messages for one dispatcher until <paramref name="leaseUntil"/>. On PostgreSQL,
    /// SKIP LOCKED lets several processes claim at once without ever claiming the same row; SQLite's single writer serialises claims.
    /// A lease that ran out (its dispatcher died) makes the message claimable again: delivery is at least once.
    /// </summary>
    public static async Task<IReadOnlyList<OutboxRow>> ClaimAsync(DbSession s, string dispatcher, DateTimeOffset now, DateTimeOffset leaseUntil, int limit)
    {
        var skipLocked = s.Database.IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $"""
            UPDATE outbox_messages SET locked_by = @dispatcher, locked_until = @leaseUntil
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE status = 'pending' AND next_attempt_at <= @now AND (locked_until IS NULL OR locked_until < @now)
                ORDER BY id LIMIT @limit{skipLocked})
            RETURNING *
            """;
        var rows = await s.Connection.QueryAsync<OutboxRow>(sql,
            new { dispatcher, now = Database.Timestamp(now), leaseUntil = Database.Timestamp(leaseUntil), limit }, s.Transaction);
        return rows.OrderBy(r => r.Id).ToList();
    }

    public static Task<int> MarkDeliveredAsync(DbSession s, long id, string dispatcher, DateTimeOffset now) => s.Connection.ExecuteAsync(
        """
        UPDATE outbox_messages SET status = 'delivered', attempts = attempts + 1, delivered_at = @now, locked_by = NULL, locked_until = NULL, last_error = NULL
        WHERE id = @id AND locked_by = @dispatcher
        """, new { id, dispatcher, now = Database.Timestamp(now) }, s.Transaction);

    public static Task<int> MarkFailedAsync(DbSession s, long id, string dispatcher, string error, DateTimeOffset nextAttempt, bool dead) => s.Connection.ExecuteAsync(
        """
        UPDATE outbox_messages SET status = @status, attempts = attempts + 1, next_attempt_at = @next, last_error = @error,
            locked_by = NULL, locked_until = NULL
        WHERE id = @id AND locked_by = @dispatcher
        """, new { id, dispatcher, error, next = Database.Timestamp(nextAttempt), status = dead ? "dead" : "pending" }, s.Transaction);

    /// <summary>Clears one dispatcher's remaining claims (messages it claimed and did not finish), leaving them due at once.</summary>
    public static Task<int> ReleaseAsync(DbSession s, string dispatcher) => s.Connection.ExecuteAsync(
        "UPDATE outbox_messages SET locked_by = NULL, locked_until = NULL WHERE locked_by = @dispatcher AND status = 'pending'",
        new { dispatcher }, s.Transaction);

    public static async Task<IReadOnlyList<OutboxRow>> ListAsync(DbSession s, string? status, long? afterId, int limit) =>
        (await s.Connection.QueryAsync<OutboxRow>(
            "SELECT * FROM outbox_messages WHERE (@status IS NULL OR status = @status) AND id > @after ORDER BY id LIMIT @limit",
            new { status, after = afterId ?? 0, limit }, s.Transaction)).AsList();

    public static async Task<IReadOnlyList<OutboxRow>> ForOperationAsync(DbSession s, string operationId) =>
        (await s.Connection.QueryAsync<OutboxRow>("SELECT * FROM outbox_messages WHERE operation_id = @operationId ORDER BY id",
            new { operationId }, s.Transaction)).AsList();

    /// <summary>Pending and dead messages (through the due index) and the creation of the oldest message due now; bounded by <paramref name="timeout"/>.</summary>
    public static Task<(long Pending, long Dead, string? OldestDue)> CountAsync(DbSession s, DateTimeOffset now, TimeSpan timeout, CancellationToken ct) =>
        s.Connection.QuerySingleAsync<(long Pending, long Dead, string? OldestDue)>(new CommandDefinition("""
            SELECT (SELECT COUNT(*) FROM outbox_messages WHERE status = 'pending'),
                   (SELECT COUNT(*) FROM outbox_messages WHERE status = 'dead'),
                   (SELECT MIN(created_at) FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= @now)
            """, new { now = Database.Timestamp(now) }, s.Transaction, Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)), cancellationToken: ct));

    /// <summary>Puts a dead message back in the queue, with a fresh attempt budget.</summary>
    public static Task<int> ReplayAsync(DbSession s, long id, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = @now, last_error = NULL WHERE id = @id AND status = 'dead'",
        new { id, now = Database.Timestamp(now) }, s.Transaction);
}

/// <summary>
/// The ordered downstream feed. Readers follow <c>position</c>, not <c>seq</c>: on PostgreSQL concurrent writers insert their
/// events unpositioned and commit in any order, and <see cref="AssignPositionsAsync"/>, one assigner at a time, numbers the
/// committed ones afterwards. A position is therefore visible only once every lower one is, so a consumer reading after a
/// cursor never skips a late commit, and no writer holds a feed-wide lock. SQLite's single writer already orders commits:
/// there an event takes its position as it is inserted.
/// </summary>
public static class EventStore
{
    /// <summary>The advisory lock that lets one assigner at a time number the feed (held for the assigning statement only).</summary>
    private const long PositionLock = 727101;

    /// <summary>Most events one assigning transaction numbers; a larger backlog takes several rounds.</summary>
    public const int AssignBatch = 1000;

    public static Task InsertAsync(DbSession s, EventRow row) => s.Connection.ExecuteAsync(InsertSql(s.Database), row, s.Transaction);

    /// <summary><see cref="InsertAsync"/>, sent with the write's other bookkeeping rows before its commit.</summary>
    public static ValueTask QueueInsertAsync(DbSession s, EventRow row) => s.Pending.AddAsync(InsertSql(s.Database), row);

    /// <summary>The insert: unpositioned on PostgreSQL; on SQLite the next position at once (the write lock is held to commit).</summary>
    public static string InsertSql(Database database) => database.IsPostgres
        ? """
          INSERT INTO events (event_id, type, platform_id, account_id, operation_id, payload, created_at)
          VALUES (@EventId, @Type, @PlatformId, @AccountId, @OperationId, @Payload, @CreatedAt)
          """
        : """
          INSERT INTO events (event_id, type, platform_id, account_id, operation_id, payload, created_at, position)
          VALUES (@EventId, @Type, @PlatformId, @AccountId, @OperationId, @Payload, @CreatedAt,
              (SELECT COALESCE(MAX(position), 0) + 1 FROM events))
          """;

    /// <summary>
    /// PostgreSQL: gives the committed, unpositioned events the next positions, in insertion order, in one short transaction
    /// under an advisory lock; returns how many it numbered. The lock is taken in its own statement first, so the numbering
    /// statement's snapshot (READ COMMITTED: one per statement) sees the previous assigner's commit. SQLite: nothing to do.
    /// </summary>
    public static async Task<int> AssignPositionsAsync(Database database, CancellationToken ct = default)
    {
        if (!database.IsPostgres) return 0;
        await using var s = await DbSession.WriteAsync(database, ct);
        await s.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = PositionLock }, s.Transaction);
        var numbered = await s.Connection.ExecuteAsync(
            """
            WITH top AS (SELECT COALESCE(MAX(position), 0) AS position FROM events),
                 todo AS (SELECT seq, row_number() OVER (ORDER BY seq) AS n
                          FROM (SELECT seq FROM events WHERE position IS NULL ORDER BY seq LIMIT @batch) unpositioned)
            UPDATE events SET position = top.position + todo.n FROM todo, top WHERE events.seq = todo.seq
            """, new { batch = AssignBatch }, s.Transaction);
        await s.CommitAsync(ct);
        return numbered;
    }

    /// <summary>Whether committed events still wait for a position (PostgreSQL), so an assigner knows to run.</summary>
    public static Task<bool> AnyUnpositionedAsync(DbSession s) => s.Database.IsPostgres
        ? s.Connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM events WHERE position IS NULL)", transaction: s.Transaction)
        : Task.FromResult(false);

    /// <summary>The feed after a cursor (a position), in position order.</summary>
    public static async Task<IReadOnlyList<EventRow>> ReadAsync(DbSession s, long after, int limit) =>
        (await s.Connection.QueryAsync<EventRow>(
            "SELECT * FROM events WHERE position > @after ORDER BY position LIMIT @limit",
            new { after, limit }, s.Transaction)).AsList();
}
