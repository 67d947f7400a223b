using System.Text;
using Dapper;
using Partnerships.Storage;

namespace Partnerships.Tests.Infrastructure;

/// <summary>A byte-exact dump of the stored state, to prove that a rejected write or a dry-run changed nothing.</summary>
public static class StoreSnapshot
{
    public static readonly string[] StateTables =
        ["platforms", "client_credentials", "vertical_mappings", "accounts", "marketplace_controls", "pages", "page_variants", "layouts"];

    public static async Task<string> TakeAsync(Database db, params string[] tables)
    {
        await using var connection = await db.OpenAsync();
        var text = new StringBuilder();
        foreach (var table in tables.Length > 0 ? tables : StateTables)
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
