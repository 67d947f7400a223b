using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Partnerships.Application;
using Partnerships.Application.Features.Controls;
using Partnerships.Core.Controls;
using Partnerships.Storage;

namespace Partnerships.Bench;

/// <summary>
/// Loads merchants straight into the store, in one transaction (SQLite: one prepared INSERT per table, reused; PostgreSQL:
/// binary COPY). Each account gets exactly the rows a registration without pages creates for it — the account and its
/// controls list, named, hashed and identified by the same functions the registration calls — so a GET or PUT of any
/// of them finds what it would find for a merchant registered through the API.
/// </summary>
public static class StoreLoader
{
    private static readonly string[] AccountColumns =
    [
        "id", "platform_id", "external_account_id", "brand", "partner_vertical_id", "partner_sub_vertical_id", "network_sub_vertical_id",
        "country_code", "store_identifier", "contact_email", "status", "relationship_status", "created_at", "updated_at",
    ];

    private static readonly string[] ControlsColumns = ["account_id", "mcl_id", "name", "state_json", "network_json", "revision", "content_hash", "updated_at"];

    private const int DefaultSqliteCacheSize = -2000;

    /// <summary>The category every loaded merchant registers in (the first demo platform maps it).</summary>
    public const long VerticalId = 1500, SubVerticalId = 1610;

    /// <summary>Adds accounts number <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1 of <paramref name="platformId"/>; returns their ids in order.</summary>
    public static async Task<IReadOnlyList<string>> LoadAccountsAsync(Database db, string platformId, int from, int count)
    {
        await using var connection = await db.OpenAsync();
        var networkSubVerticalId = await connection.ExecuteScalarAsync<long>(
            "SELECT network_sub_vertical_id FROM vertical_mappings WHERE platform_id = @platformId AND partner_vertical_id = @VerticalId AND partner_sub_vertical_id = @SubVerticalId",
            new { platformId, VerticalId, SubVerticalId });
        var start = DateTimeOffset.UtcNow.AddSeconds(-count);
        // Random ids as a registration makes them, numbered in their sort order: then every index of both tables grows at
        // its end (external id and creation time rise with the number too), as a store that gained them over time.
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).Order(StringComparer.Ordinal).ToArray();
        var rows = Enumerable.Range(0, count).AsParallel().AsOrdered()
            .Select(i => Merchant(ids[i], platformId, networkSubVerticalId, from + i, start.AddMilliseconds(i))).ToList();
        if (connection is SqliteConnection)
        {
            // Random ids land all over three indexes: with SQLite's default 2 MB page cache, one transaction of 100,000
            // merchants spills and rewrites the same pages again and again. Only this connection's cache grows, and back.
            await connection.ExecuteAsync("PRAGMA cache_size = -262144");
        }
        await using var tx = await db.BeginWriteAsync(connection);
        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, "accounts", AccountColumns, rows.Select(r => r.Account));
            await CopyAsync(postgres, "marketplace_controls", ControlsColumns, rows.Select(r => r.Controls));
        }
        else
        {
            await InsertAsync((SqliteConnection)connection, tx, "accounts", AccountColumns, rows.Select(r => r.Account));
            await InsertAsync((SqliteConnection)connection, tx, "marketplace_controls", ControlsColumns, rows.Select(r => r.Controls));
        }
        await tx.CommitAsync();
        if (connection is SqliteConnection)
        {
            await connection.ExecuteAsync($"PRAGMA cache_size = {DefaultSqliteCacheSize}");
        }
        if (connection is NpgsqlConnection)
        {
            // As a long-lived database would have its statistics.
            await connection.ExecuteAsync("ANALYZE accounts; ANALYZE marketplace_controls");
        }
        return rows.Select(r => (string)r.Account[0]!).ToList();
    }

    /// <summary>Copies the first mapping rows of <paramref name="platformId"/> under new partner sub-vertical ids until it has <paramref name="total"/> rows.</summary>
    public static async Task<int> FillMappingsAsync(Database db, string platformId, int total)
    {
        await using var connection = await db.OpenAsync();
        var have = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vertical_mappings WHERE platform_id = @platformId", new { platformId });
        if (have < total)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO vertical_mappings (platform_id, partner_vertical_id, partner_sub_vertical_id, partner_vertical_name,
                    partner_sub_vertical_name, network_category_id, network_sub_vertical_id, updated_at)
                SELECT platform_id, partner_vertical_id, partner_sub_vertical_id + 9000000, partner_vertical_name,
                    partner_sub_vertical_name || ' (more)', network_category_id, network_sub_vertical_id, updated_at
                FROM vertical_mappings WHERE platform_id = @platformId
                ORDER BY partner_vertical_id, partner_sub_vertical_id LIMIT @missing
                """, new { platformId, missing = total - have });
        }
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vertical_mappings WHERE platform_id = @platformId", new { platformId });
    }

    /// <summary>What RegisterAccount.HandleAsync inserts for a merchant registered without pages.</summary>
    private static (object?[] Account, object?[] Controls) Merchant(string id, string platformId, long networkSubVerticalId, int number, DateTimeOffset createdAt)
    {
        var brand = $"Bench Merchant {number}";
        var now = Database.Timestamp(createdAt);
        var initial = MclState.Empty with { Name = DefaultControlsName.For(brand) };
        object?[] account =
        [
            id, platformId, $"bench-{number:D6}", brand, VerticalId, SubVerticalId, networkSubVerticalId,
            "US", $"https://merchant-{number}.bench.example", null, "active", "active", now, now,
        ];
        object?[] controls =
        [
            id, Secrets.DeterministicId("mcl:" + id), initial.Name, ControlsState.ToJson(initial), "[]", 0L, ContentHash.Compute(0, initial), now,
        ];
        return (account, controls);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await writer.StartRowAsync();
            foreach (var value in row)
            {
                switch (value)
                {
                    case null: await writer.WriteNullAsync(); break;
                    case long n: await writer.WriteAsync(n, NpgsqlDbType.Bigint); break;
                    default: await writer.WriteAsync((string)value, NpgsqlDbType.Text); break;
                }
            }
        }
        await writer.CompleteAsync();
    }

    private static async Task InsertAsync(SqliteConnection connection, DbTransaction tx, string table, string[] columns, IEnumerable<object?[]> rows)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)tx;
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        var parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++) parameters[i].Value = row[i] ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }
}
