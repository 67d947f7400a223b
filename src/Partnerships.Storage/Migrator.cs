using Dapper;
using Partnerships.Storage.DataMigrations;

namespace Partnerships.Storage;

/// <summary>
/// Versioned migrations: embedded <c>Migrations/NNNN_name.sql</c> files and the code migrations of
/// <see cref="DataMigrationCatalog"/>, applied in version order in one transaction together with their rows in
/// <c>schema_migrations</c>. Safe to run from several processes at once on PostgreSQL (an advisory lock serialises them).
/// </summary>
public sealed class Migrator(Database database, MigrationContext? context = null)
{
    /// <summary>One step: SQL text, or a code migration (<see cref="Code"/> set, <see cref="Sql"/> empty).</summary>
    public sealed record Migration(int Version, string Name, string Sql, IDataMigration? Code = null);

    public static IReadOnlyList<Migration> All { get; } = Load();

    public async Task<IReadOnlyList<Migration>> PendingAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await EnsureTableAsync(connection);
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        return All.Where(m => !applied.Contains(m.Version)).ToList();
    }

    /// <summary>Applies every pending migration; returns the ones applied.</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken ct = default) => MigrateToAsync(int.MaxValue, ct);

    /// <summary>Applies the pending migrations up to and including <paramref name="version"/> (a store kept at an earlier version, for upgrade tests).</summary>
    public async Task<IReadOnlyList<Migration>> MigrateToAsync(int version, CancellationToken ct = default)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (!database.IsPostgres)
            {
                await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            }
            await EnsureTableAsync(connection);
        }
        var appliedNow = new List<Migration>();
        await using var s = await DbSession.WriteAsync(database, ct);
        if (database.IsPostgres)
        {
            await s.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727100)", transaction: s.Transaction);
        }
        var applied = (await s.Connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: s.Transaction)).ToHashSet();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version) && m.Version <= version))
        {
            if (migration.Code is { } code)
            {
                await code.ApplyAsync(s, context ?? new MigrationContext(), ct);
            }
            else
            {
                await s.Connection.ExecuteAsync(Render(migration.Sql), transaction: s.Transaction);
            }
            await s.Connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { migration.Version, migration.Name, At = Database.Timestamp(DateTimeOffset.UtcNow) }, s.Transaction);
            appliedNow.Add(migration);
        }
        await s.CommitAsync(ct);
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
        list.AddRange(DataMigrationCatalog.All.Select(d => new Migration(d.Version, d.Name, "", d)));
        var clash = list.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null) throw new InvalidOperationException($"Two migrations share version {clash.Key}: {string.Join(", ", clash.Select(m => m.Name))}");
        return list.OrderBy(m => m.Version).ToList();
    }
}
