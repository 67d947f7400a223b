using System.Reflection;
using Dapper;

namespace Partnerships.Storage;

/// <summary>
/// Versioned migrations: embedded <c>Migrations/NNNN_name.sql</c> files applied in order, each in its own
/// transaction together with its row in <c>schema_migrations</c>. Safe to run from several processes at once
/// on PostgreSQL (an advisory lock serialises them).
/// </summary>
public sealed class Migrator(Database database)
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } = Load();

    public async Task<IReadOnlyList<Migration>> PendingAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await EnsureTableAsync(connection);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        return All.Where(m => !applied.Contains(m.Version)).ToList();
    }

    /// <summary>Applies every pending migration; returns the ones applied.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        if (!database.IsPostgres)
        {
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        }
        await EnsureTableAsync(connection);
        var appliedNow = new List<Migration>();
        await using var tx = await database.BeginWriteAsync(connection, ct);
        if (database.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727100)", transaction: tx);
        }
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: tx)).ToHashSet();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(Render(migration.Sql), transaction: tx);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = Database.Timestamp(DateTimeOffset.UtcNow) }, tx);
            appliedNow.Add(migration);
        }
        await tx.CommitAsync(ct);
        return appliedNow;
    }

    private string Render(string sql) => sql.Replace("{{identity}}", database.IsPostgres
        ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        : "INTEGER PRIMARY KEY AUTOINCREMENT");

    private static Task EnsureTableAsync(System.Data.Common.DbConnection connection) => connection.ExecuteAsync(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");

    private static List<Migration> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            // Resource names look like Partnerships.Storage.Migrations.0001_initial.sql
            var file = resource.Split('.')[^2];
            var underscore = file.IndexOf('_');
            var version = int.Parse(file[..underscore], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            list.Add(new Migration(version, file[(underscore + 1)..], reader.ReadToEnd()));
        }
        return list.OrderBy(m => m.Version).ToList();
    }
}
