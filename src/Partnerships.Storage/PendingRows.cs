using System.Collections.Concurrent;
using System.Data;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Partnerships.Storage;

/// <summary>
/// The bookkeeping rows a write adds (operation, idempotency record, audit entry, events, outbox messages), sent in as few
/// round trips as the store allows. PostgreSQL: they wait here and go to the server in one batch just before the commit
/// (or a savepoint), so a write pays one round trip for all of them. SQLite: each runs at once, in process, where a
/// statement costs no round trip. Rows queued here are not visible to the write's own reads until then: queue only rows
/// the write does not read back.
/// </summary>
public sealed partial class PendingRows(DbSession session)
{
    private readonly List<(string Sql, object Row, int? ExpectRows)> _rows = [];

    public int Count => _rows.Count;

    /// <param name="expectRows">For a change the write relies on: the rows it must affect, or the whole write fails.</param>
    public async ValueTask AddAsync(string sql, object row, int? expectRows = null)
    {
        if (session.Connection is NpgsqlConnection)
        {
            _rows.Add((sql, row, expectRows));
            return;
        }
        var affected = await session.Connection.ExecuteAsync(sql, row, session.Transaction);
        if (expectRows is { } expected && affected != expected) throw Unexpected(sql, expected, affected);
    }

    private static InvalidOperationException Unexpected(string sql, int expected, int affected) =>
        new($"A write's statement affected {affected} rows, not {expected}: {sql.Split('\n')[0].Trim()}");

    /// <summary>Sends what is queued, in the order it was queued, in one batch.</summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        if (_rows.Count == 0) return;
        var connection = (NpgsqlConnection)session.Connection;
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction?)session.Transaction);
        var expectations = _rows.Select(r => r.ExpectRows).ToArray();
        foreach (var (sql, row, _) in _rows)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var property in PropertiesUsed(sql, row.GetType()))
            {
                command.Parameters.Add(new NpgsqlParameter(property.Name, property.Type) { Value = property.Get(row) ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
        var statements = _rows.Select(r => r.Sql).ToArray();
        _rows.Clear();
        await batch.ExecuteNonQueryAsync(ct);
        for (var i = 0; i < expectations.Length; i++)
        {
            if (expectations[i] is { } expected && batch.BatchCommands[i].RecordsAffected != expected)
            {
                throw Unexpected(statements[i], expected, batch.BatchCommands[i].RecordsAffected);
            }
        }
    }

    /// <summary>Dropped with a rolled-back transaction.</summary>
    public void Discard() => _rows.Clear();

    private sealed record Bound(string Name, DbType Type, Func<object, object?> Get);

    private static readonly ConcurrentDictionary<(string Sql, Type Type), Bound[]> Bindings = new();

    /// <summary>The row's properties the statement names as <c>@Name</c>, found once per statement and row type.</summary>
    private static Bound[] PropertiesUsed(string sql, Type type) => Bindings.GetOrAdd((sql, type), key =>
    {
        var named = Placeholder().Matches(key.Sql).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return key.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => named.Contains(p.Name))
            .Select(p => new Bound(p.Name, TypeOf(p.PropertyType), p.GetValue))
            .ToArray();
    });

    private static DbType TypeOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => DbType.String,
        var t when t == typeof(int) => DbType.Int32,
        var t when t == typeof(long) => DbType.Int64,
        var t when t == typeof(bool) => DbType.Boolean,
        var t when t == typeof(double) => DbType.Double,
        var t => throw new NotSupportedException($"A queued row's {t.Name} property has no store type here."),
    };

    [GeneratedRegex(@"@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Placeholder();
}
