using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>A text column of a table whose rows belong to one account (it has an <c>account_id</c> column).</summary>
public sealed record AccountTextColumn(string Table, string Column);

/// <summary>
/// What erasing one account's personal data needs from the store: the text columns of every table with an
/// <c>account_id</c>, read from the schema catalogue (so a table added later is covered without a change here), and
/// value-by-value rewrites of them.
/// </summary>
public static class PersonalDataStore
{
    public static async Task<IReadOnlyList<AccountTextColumn>> AccountTextColumnsAsync(DbSession s)
    {
        var sql = s.Database.IsPostgres
            ? """
              SELECT c.table_name AS "Table", c.column_name AS "Column" FROM information_schema.columns c
              JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
              WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying')
                AND EXISTS (SELECT 1 FROM information_schema.columns a
                            WHERE a.table_schema = c.table_schema AND a.table_name = c.table_name AND a.column_name = 'account_id')
              ORDER BY c.table_name, c.column_name
              """
            : """
              SELECT m.name AS "Table", p.name AS "Column" FROM sqlite_master m, pragma_table_info(m.name) p
              WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND upper(p.type) = 'TEXT'
                AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) a WHERE a.name = 'account_id')
              ORDER BY m.name, p.name
              """;
        return (await s.Connection.QueryAsync<AccountTextColumn>(sql, transaction: s.Transaction))
            .Where(c => c.Column != "account_id").ToList();
    }

    /// <summary>The distinct values of one column in the account's rows that could hold an address (they contain an <c>@</c>).</summary>
    public static async Task<IReadOnlyList<string>> CandidateValuesAsync(DbSession s, AccountTextColumn column, string accountId) =>
        (await s.Connection.QueryAsync<string>(
            $"SELECT DISTINCT {Quote(column.Column)} FROM {Quote(column.Table)} WHERE account_id = @accountId AND {Quote(column.Column)} LIKE '%@%'",
            new { accountId }, s.Transaction)).AsList();

    public static Task<int> ReplaceValueAsync(DbSession s, AccountTextColumn column, string accountId, string old, string? replacement) =>
        s.Connection.ExecuteAsync(
            $"UPDATE {Quote(column.Table)} SET {Quote(column.Column)} = @replacement WHERE account_id = @accountId AND {Quote(column.Column)} = @old",
            new { accountId, old, replacement }, s.Transaction);

    /// <summary>The account row's own personal fields (the table's key is <c>id</c>, not <c>account_id</c>).</summary>
    public static Task<int> ClearContactEmailAsync(DbSession s, string accountId, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE accounts SET contact_email = NULL, updated_at = @at WHERE id = @accountId AND contact_email IS NOT NULL",
        new { accountId, at = Database.Timestamp(now) }, s.Transaction);

    /// <summary>Idempotency records of the account's writes (scoped to it, or, like its registration, naming one of its operations).</summary>
    public static async Task<IReadOnlyList<IdempotencyRow>> IdempotencyRecordsAsync(DbSession s, string accountId) =>
        (await s.Connection.QueryAsync<IdempotencyRow>(
            """
            SELECT * FROM idempotency_keys
            WHERE scope = @accountId OR operation_id IN (SELECT id FROM operations WHERE account_id = @accountId)
            """, new { accountId }, s.Transaction)).AsList();

    public static Task<int> RewriteIdempotencyAsync(DbSession s, IdempotencyRow row, string body, string headers) => s.Connection.ExecuteAsync(
        "UPDATE idempotency_keys SET response_body = @body, response_headers = @headers WHERE platform_id = @PlatformId AND scope = @Scope AND idem_key = @IdemKey",
        new { row.PlatformId, row.Scope, row.IdemKey, body, headers }, s.Transaction);

    public static Task<int> DeleteIdempotencyAsync(DbSession s, IdempotencyRow row) => s.Connection.ExecuteAsync(
        "DELETE FROM idempotency_keys WHERE platform_id = @PlatformId AND scope = @Scope AND idem_key = @IdemKey",
        new { row.PlatformId, row.Scope, row.IdemKey }, s.Transaction);

    /// <summary>The account's e-mails not yet delivered (pending or dead) that no dispatcher holds right now.</summary>
    public static async Task<IReadOnlyList<OutboxRow>> UndeliveredEmailsAsync(DbSession s, string accountId) =>
        (await s.Connection.QueryAsync<OutboxRow>(
            "SELECT * FROM outbox_messages WHERE account_id = @accountId AND channel = 'email' AND status IN ('pending', 'dead') ORDER BY id",
            new { accountId }, s.Transaction)).AsList();

    /// <summary>Withdraws an undelivered message, unless a dispatcher holds it at this moment (then 0: it is being sent).</summary>
    public static Task<int> CancelAsync(DbSession s, long id, string reason, DateTimeOffset now) => s.Connection.ExecuteAsync(
        """
        UPDATE outbox_messages SET status = 'cancelled', last_error = @reason
        WHERE id = @id AND status IN ('pending', 'dead') AND (locked_until IS NULL OR locked_until < @now)
        """, new { id, reason, now = Database.Timestamp(now) }, s.Transaction);

    public static async Task<IReadOnlyList<OutboxRow>> EmailsAsync(DbSession s, string accountId) =>
        (await s.Connection.QueryAsync<OutboxRow>("SELECT * FROM outbox_messages WHERE account_id = @accountId AND channel = 'email' ORDER BY id",
            new { accountId }, s.Transaction)).AsList();

    /// <summary>Marks an operation's status without touching its stored response.</summary>
    public static Task<int> SetOperationStatusAsync(DbSession s, string operationId, string status, string? error, DateTimeOffset now) =>
        s.Connection.ExecuteAsync("UPDATE operations SET status = @status, error = @error, updated_at = @at WHERE id = @operationId",
            new { operationId, status, error, at = Database.Timestamp(now) }, s.Transaction);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
