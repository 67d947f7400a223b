using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Partnerships.Storage;

/// <summary>What the ledger granted: the units (0: refused), the grant's id, and the bucket's use in the window after it.</summary>
public sealed record LedgerGrant(long? GrantId, int Units, long UsedInWindow, long? OldestAtMs);

/// <summary>
/// The rate limiter's shared count: every grant of units to a bucket (a platform's budget) with its time, kept for one
/// window. Every process sharing a store shares it, so a budget is one across processes. Not durable on purpose: on
/// PostgreSQL an UNLOGGED table, on SQLite a side file with synchronous=OFF next to the database; losing it on a crash
/// only forgets the last minute's counts.
/// </summary>
public sealed class RateLimitLedger : IAsyncDisposable
{
    public const string PostgresSchema = "rate_limiting";

    private readonly Database _database;
    private readonly string? _sqliteConnection;
    private readonly SemaphoreSlim _ready = new(1, 1);
    private bool _created;
    // An in-memory side database lives while one connection to it is open.
    private SqliteConnection? _keepAlive;
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, SQLitePCL.sqlite3> Unsynced = new();

    public RateLimitLedger(Database database)
    {
        _database = database;
        if (database.IsPostgres) return;
        var store = new SqliteConnectionStringBuilder(database.Options.ConnectionString);
        var source = store.DataSource;
        var inMemory = source is ":memory:" or "" || store.Mode == SqliteOpenMode.Memory || source.Contains("mode=memory", StringComparison.OrdinalIgnoreCase);
        // A file: URI names a file on disk like a plain path does (its query holds only options).
        var path = source.StartsWith("file:", StringComparison.Ordinal) ? Uri.UnescapeDataString(source[5..].Split('?')[0]) : source;
        var builder = inMemory
            ? new SqliteConnectionStringBuilder { DataSource = $"partnerships-rate-limits-{Guid.NewGuid():N}", Mode = SqliteOpenMode.Memory, Cache = SqliteCacheMode.Shared }
            : new SqliteConnectionStringBuilder { DataSource = SidePath(Path.GetFullPath(path)) };
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        _sqliteConnection = builder.ToString();
        SidePathOrNull = inMemory ? null : builder.DataSource;
    }

    /// <summary>The SQLite side file (null on PostgreSQL and for an in-memory store).</summary>
    public string? SidePathOrNull { get; }

    /// <summary><c>data/partnerships.db</c> keeps its ledger in <c>data/partnerships.rate-limits.db</c>.</summary>
    public static string SidePath(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + ".rate-limits.db");

    /// <summary>
    /// In one transaction that serialises with every other process on this bucket: drops grants older than the window,
    /// gives back the units a finished lease did not spend (<paramref name="giveBack"/>: its grant keeps only what was spent),
    /// then grants up to <paramref name="units"/> if the bucket has room (at least one unit), and reports the window's use.
    /// The grant counts from <paramref name="stampMs"/> (default: now): a lease spent over the next second is stamped at
    /// its end, so none of its units leaves the window before the window since it was spent has passed.
    /// </summary>
    public async Task<LedgerGrant> AcquireAsync(string bucket, int limit, int units, long nowMs, long windowMs,
        (long GrantId, int Spent)? giveBack, CancellationToken ct, long? stampMs = null)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var table = _database.IsPostgres ? PostgresSchema + ".grants" : "grants";
        if (_database.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727200, hashtext(@bucket))", new { bucket }, transaction);
        }
        if (giveBack is { } back)
        {
            await connection.ExecuteAsync($"UPDATE {table} SET units = @spent WHERE id = @id", new { id = back.GrantId, spent = back.Spent }, transaction);
        }
        await connection.ExecuteAsync($"DELETE FROM {table} WHERE bucket = @bucket AND at_ms <= @cutoff", new { bucket, cutoff = nowMs - windowMs }, transaction);
        var used = await connection.QuerySingleAsync<long>($"SELECT COALESCE(SUM(units), 0) FROM {table} WHERE bucket = @bucket", new { bucket }, transaction);
        var granted = (int)Math.Max(0, Math.Min(units, limit - used));
        long? grantId = null;
        if (granted > 0)
        {
            grantId = await connection.QuerySingleAsync<long>(
                $"INSERT INTO {table} (bucket, at_ms, units) VALUES (@bucket, @now, @granted) RETURNING id", new { bucket, now = stampMs ?? nowMs, granted }, transaction);
        }
        var oldest = await connection.QuerySingleOrDefaultAsync<long?>($"SELECT MIN(at_ms) FROM {table} WHERE bucket = @bucket", new { bucket }, transaction);
        await transaction.CommitAsync(ct);
        return new LedgerGrant(grantId, granted, used + granted, oldest);
    }

    public async ValueTask DisposeAsync()
    {
        if (_keepAlive is not null) await _keepAlive.DisposeAsync();
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_database.IsPostgres) return await _database.OpenAsync(ct);
        var connection = new SqliteConnection(_sqliteConnection);
        await connection.OpenAsync(ct);
        if (!_created) await CreateAsync(ct);
        // Per physical connection (a pooled open hands back the same handle): the ledger is not worth a sync.
        if (connection.Handle is { } handle && !Unsynced.TryGetValue(handle, out _))
        {
            await connection.ExecuteAsync("PRAGMA synchronous=OFF");
            Unsynced.AddOrUpdate(handle, handle);
        }
        return connection;
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        await _ready.WaitAsync(ct);
        try
        {
            if (_created) return;
            if (SidePathOrNull is { } path)
            {
                Secrets.PrivateFiles.EnsureFolder(Path.GetDirectoryName(path)!);
                if (!File.Exists(path))
                {
                    try { await using var _ = new FileStream(path, Secrets.PrivateFiles.CreateOptions(FileMode.CreateNew)); }
                    catch (IOException) when (File.Exists(path)) { }
                }
            }
            var connection = new SqliteConnection(_sqliteConnection);
            await connection.OpenAsync(ct);
            if (SidePathOrNull is not null) await connection.ExecuteAsync("PRAGMA journal_mode=WAL");
            await connection.ExecuteAsync("""
                CREATE TABLE IF NOT EXISTS grants (id INTEGER PRIMARY KEY AUTOINCREMENT, bucket TEXT NOT NULL, at_ms INTEGER NOT NULL, units INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS ix_grants_bucket_at ON grants (bucket, at_ms);
                """);
            if (SidePathOrNull is null) _keepAlive = connection;
            else await connection.DisposeAsync();
            _created = true;
        }
        finally
        {
            _ready.Release();
        }
    }
}
