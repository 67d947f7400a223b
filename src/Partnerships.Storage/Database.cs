using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Partnerships.Storage;

public enum StoreProvider { Sqlite, Postgres }

/// <summary>Which store and where: <c>Store:Provider</c> (sqlite | postgres) and <c>Store:ConnectionString</c>.</summary>
public sealed record StoreOptions(StoreProvider Provider, string ConnectionString)
{
    public static StoreProvider ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => StoreProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => StoreProvider.Postgres,
        _ => throw new InvalidOperationException($"Store:Provider '{value}' is not supported; use 'sqlite' or 'postgres'."),
    };
}

/// <summary>
/// The one place that knows the two stores apart: how to open a connection and how to begin a write
/// transaction that serialises with other writers of the same rows.
/// </summary>
public sealed class Database
{
    private readonly NpgsqlDataSource? _postgres;

    static Database()
    {
        // Columns are snake_case, row classes PascalCase.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(StoreOptions options)
    {
        Options = options;
        if (options.Provider == StoreProvider.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(options.ConnectionString);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
            if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && !path.StartsWith("file:", StringComparison.Ordinal))
            {
                // The database and its -wal/-shm hold every secret hash and sealed secret: 0600, created so from the start
                // (SQLite gives -wal and -shm the database file's mode), and repaired if an older version left them open.
                var full = Path.GetFullPath(path);
                Secrets.PrivateFiles.EnsureFolder(Path.GetDirectoryName(full)!);
                if (!File.Exists(full))
                {
                    try { using var _ = new FileStream(full, Secrets.PrivateFiles.CreateOptions(FileMode.CreateNew)); }
                    catch (IOException) when (File.Exists(full)) { }
                }
                foreach (var file in new[] { full, full + "-wal", full + "-shm", full + "-journal" }) Secrets.PrivateFiles.Restrict(file);
            }
            builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
            builder.Pooling = true;
            Options = options with { ConnectionString = builder.ToString() };
        }
    }

    public StoreOptions Options { get; }
    public StoreProvider Provider => Options.Provider;
    public bool IsPostgres => Provider == StoreProvider.Postgres;

    /// <summary>Appended to a SELECT that must lock its rows until commit (SQLite's write transaction already holds the database lock).</summary>
    public string ForUpdate => IsPostgres ? " FOR UPDATE" : "";

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(Options.ConnectionString);
        await connection.OpenAsync(ct);
        using var pragma = connection.CreateCommand();
        // WAL is a database property (set by the migrator); these two are per connection.
        pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// A transaction for a write. SQLite: BEGIN IMMEDIATE, so writers queue on the database lock up front
    /// instead of failing on upgrade. PostgreSQL: READ COMMITTED plus explicit row locks taken by the caller.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct = default)
    {
        if (connection is SqliteConnection sqlite)
        {
            return sqlite.BeginTransaction(deferred: false);
        }
        return await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
    }

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.ParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
