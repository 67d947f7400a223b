using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Partnerships.Storage;

public enum StoreProvider { Sqlite, Postgres }

/// <summary>How SQLite syncs a commit to disk: FULL survives a power loss, NORMAL (in WAL mode) only a crashed process.</summary>
public enum SqliteSynchronous { Full, Normal }

/// <summary>Which store and where: <c>Store:Provider</c> (sqlite | postgres) and <c>Store:ConnectionString</c>.</summary>
public sealed record StoreOptions(StoreProvider Provider, string ConnectionString)
{
    /// <summary>SQLite only: an acknowledged commit is on disk (FULL) unless the operator opts into NORMAL.</summary>
    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Full;

    /// <summary>Longest a store command (and, on SQLite, a wait for the write lock) may take; null keeps the connection string's own.</summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary>
    /// SQLite: the pipeline's writes are group-committed (<see cref="Database.WriteAsync{T}"/>): one sync per batch of queued
    /// writes. Off, each write commits its own transaction.
    /// </summary>
    public bool GroupCommit { get; init; } = true;

    /// <summary>PostgreSQL: longest a connection open (or a wait for a pooled connection) may take; null keeps the connection string's own.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    public static SqliteSynchronous ParseSynchronous(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "FULL" => SqliteSynchronous.Full,
        "NORMAL" => SqliteSynchronous.Normal,
        _ => throw new InvalidOperationException($"Store:SqliteSynchronous '{value}' is not supported; use 'FULL' or 'NORMAL'."),
    };

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
    private readonly string _sqlitePragmas = "";
    // Pooled SQLite opens hand back the same native handle, so its per-connection PRAGMAs run once per physical
    // connection. The pool is process-wide (keyed by connection string), hence the table is too; it remembers what was set.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, string> Configured = new();
    private readonly GroupCommit? _groupCommit;

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
            var builder = Parse(() => new NpgsqlConnectionStringBuilder(options.ConnectionString), "PostgreSQL", "Host=…;Port=5432;Database=…;Username=…;Password=…");
            if (options.CommandTimeout is { } command) builder.CommandTimeout = Seconds(command);
            if (options.ConnectTimeout is { } connect) builder.Timeout = Seconds(connect);
            // Statements a connection runs again and again (every write's dozen) are prepared on the server once per physical
            // connection and reused, unless the operator's connection string says otherwise.
            var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
            if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = AutoPrepared;
            if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = 2;
            var source = new NpgsqlDataSourceBuilder(builder.ConnectionString);
            // Npgsql emits a span per command (source "Npgsql"); only inside a sampled span, so the workers' polling adds no root spans.
            source.ConfigureTracing(t => t
                .ConfigureCommandFilter(_ => System.Diagnostics.Activity.Current is { Recorded: true })
                .ConfigureBatchFilter(_ => System.Diagnostics.Activity.Current is { Recorded: true })
                .EnableFirstResponseEvent(false)
                .EnablePhysicalOpenTracing(false));
            _postgres = source.Build();
        }
        else
        {
            var builder = Parse(() => new SqliteConnectionStringBuilder(options.ConnectionString), "SQLite", "Data Source=data/partnerships.db");
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
            // DefaultTimeout bounds both a command and the wait for the write lock (busy timeout).
            builder.DefaultTimeout = options.CommandTimeout is { } command ? Seconds(command) : Math.Max(builder.DefaultTimeout, 30);
            builder.Pooling = true;
            Options = options with { ConnectionString = builder.ToString() };
            // WAL is a database property (set by the migrator); these are per connection. secure_delete zeroes what a
            // change frees (a row's old bytes, freed pages), so an erased value does not linger in the file (decision 19).
            // A batch holds the write lock for at most this long, so other processes and this process's other writers get their turn.
            if (options.GroupCommit) _groupCommit = new GroupCommit(this, maxUnits: 64, maxHold: TimeSpan.FromMilliseconds(20));
            _sqlitePragmas = $"PRAGMA synchronous={(options.Synchronous == SqliteSynchronous.Normal ? "NORMAL" : "FULL")}; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;";
        }
    }

    /// <summary>A connection string that does not parse is a setting to fix, said without repeating the string (it may hold a password).</summary>
    private static T Parse<T>(Func<T> parse, string store, string example)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidOperationException(
                $"Store:ConnectionString is not a valid {store} connection string ({e.Message.Split('\n')[0].Trim()}); write it as {example}.", e);
        }
    }

    /// <summary>PostgreSQL: how many statements each physical connection keeps prepared (least recently used go first).</summary>
    public const int AutoPrepared = 128;

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
        if (connection.Handle is { } handle && !(Configured.TryGetValue(handle, out var set) && set == _sqlitePragmas))
        {
            using var pragma = connection.CreateCommand();
            pragma.CommandText = _sqlitePragmas;
            await pragma.ExecuteNonQueryAsync(ct);
            if (StoreTelemetry.TraceSqliteStatements) StoreTelemetry.Hook(handle);
            Configured.AddOrUpdate(handle, _sqlitePragmas);
        }
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a write session and returns its result once what it committed is durable. The
    /// work commits the session itself (as with <see cref="DbSession.WriteAsync"/>); ending without a commit, or
    /// throwing, discards its changes. On SQLite with group commit the session is a savepoint in a batch of queued
    /// writes run by one writer and committed together; the work must not open another write transaction on this store
    /// (it would wait for the lock its own batch holds) nor wait on anything but this session.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default)
    {
        if (_groupCommit is not null) return await _groupCommit.RunAsync(work, ct);
        await using var session = await DbSession.WriteAsync(this, ct);
        return await work(session);
    }

    /// <summary>How many group-committed writes and batches this store has committed (for metrics; zero without group commit).</summary>
    public (long Units, long Batches) GroupCommitted => _groupCommit is null ? (0, 0) : (_groupCommit.CommittedUnits, _groupCommit.CommittedBatches);

    /// <summary>
    /// SQLite: copies the write-ahead log into the database and truncates it to zero bytes, so page versions older than the
    /// last commit (an erased value among them) are gone from the -wal file too. False while a reader still needs the log
    /// (try again later). PostgreSQL: nothing to do here (its old row versions go with vacuum, see decision 19).
    /// </summary>
    public async Task<bool> TruncateLogAsync(CancellationToken ct = default)
    {
        if (IsPostgres) return true;
        await using var connection = await OpenAsync(ct);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && reader.GetInt64(0) == 0;
    }

    private static int Seconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

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
