using System.Text;
using Dapper;
using Partnerships.Storage;

namespace Partnerships.Tests.Infrastructure;

/// <summary>A byte-exact dump of the stored state, to prove that a rejected write or a dry-run changed nothing.</summary>
public static class StoreSnapshot
{
    public static readonly string[] StateTables =
        ["platforms", "client_credentials", "vertical_mappings", "accounts", "marketplace_controls", "pages", "page_variants", "layouts"];

    /// <summary>What every attempt, rejected ones included, may add: its operation, its audit entry, and a write's idempotency record.</summary>
    public static readonly string[] BookkeepingTables = ["operations", "audit_log", "idempotency_keys"];

    /// <summary>
    /// What the delivery worker updates in the background (attempts, leases, failure counts) on a shared server with its
    /// dispatcher on; suites that need these exact run with Outbox:Dispatcher=false and <see cref="TakeAllExceptAsync"/>.
    /// </summary>
    public static readonly string[] BackgroundTables = ["outbox_messages", "webhook_endpoints"];

    /// <summary>Every table of the schema, read from the store's own catalogue, so that a table added later is covered.</summary>
    public static async Task<IReadOnlyList<string>> SchemaTablesAsync(Database db)
    {
        await using var connection = await db.OpenAsync();
        var sql = db.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        return (await connection.QueryAsync<string>(sql)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every table of the schema except <paramref name="excluded"/>.</summary>
    public static async Task<string> TakeAllExceptAsync(Database db, params string[] excluded) =>
        await TakeAsync(db, [.. (await SchemaTablesAsync(db)).Where(t => !excluded.Contains(t, StringComparer.Ordinal))]);

    /// <summary>The given tables; without any, every table of the schema apart from the bookkeeping and background ones.</summary>
    public static async Task<string> TakeAsync(Database db, params string[] tables)
    {
        if (tables.Length == 0) return await TakeAllExceptAsync(db, [.. BookkeepingTables, .. BackgroundTables]);
        // PostgreSQL numbers committed events into the feed in the background: settle that first, so it is not a change.
        while (await Partnerships.Storage.Stores.EventStore.AssignPositionsAsync(db) > 0) { }
        await using var connection = await db.OpenAsync();
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            text.Append("## ").AppendLine(table);
            var rows = await connection.QueryAsync($"SELECT * FROM {table}");
            foreach (IDictionary<string, object?> row in rows)
            {
                text.AppendLine(string.Join(" | ", row.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));
            }
        }
        // Order of rows is not part of the state.
        return string.Join('\n', text.ToString().Split('\n').OrderBy(l => l, StringComparer.Ordinal));
    }

    public static async Task<long> CountAsync(Database db, string table, string? where = null, object? args = null)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}" + (where is null ? "" : " WHERE " + where), args);
    }
}
