using System.Globalization;
using Microsoft.Data.Sqlite;
using Partnerships.Storage;

namespace Partnerships.Application;

/// <summary>
/// Where the store is and how it is reached, read once from configuration by the service and by the operator CLI alike:
/// <c>Store:Provider</c> (sqlite | postgres), <c>Store:ConnectionString</c>, <c>Store:DataDirectory</c> (default <c>./data</c>,
/// relative to the working directory) and the store's tuning keys. Without a connection string, SQLite is the embedded
/// default: <c>partnerships.db</c> in the data folder. Reading settings creates nothing.
/// </summary>
public sealed record StoreSettings
{
    public const string DefaultDataDirectory = "data";
    public const string DatabaseFileName = "partnerships.db";

    public required StoreOptions Store { get; init; }
    /// <summary>The data folder, as a full path: the embedded database and the key files live here.</summary>
    public required string DataDirectory { get; init; }
    /// <summary>SQLite without a configured connection string: the database file in the data folder.</summary>
    public required bool EmbeddedDefault { get; init; }

    public StoreProvider Provider => Store.Provider;

    /// <summary>The SQLite file the store lives in, as a full path; null on PostgreSQL or for an in-memory database.</summary>
    public string? SqliteFile
    {
        get
        {
            if (Store.Provider != StoreProvider.Sqlite) return null;
            var builder = new SqliteConnectionStringBuilder(Store.ConnectionString);
            if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") return null;
            return Path.GetFullPath(builder.DataSource);
        }
    }

    /// <summary>Reads the settings through <paramref name="setting"/> (a configuration's indexer: <c>key =&gt; config[key]</c>).</summary>
    public static StoreSettings From(Func<string, string?> setting)
    {
        var dataDirectory = Path.GetFullPath(setting("Store:DataDirectory") is { Length: > 0 } folder ? folder : DefaultDataDirectory);
        var provider = StoreOptions.ParseProvider(setting("Store:Provider"));
        var connection = setting("Store:ConnectionString");
        var embedded = provider == StoreProvider.Sqlite && string.IsNullOrWhiteSpace(connection);
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (provider == StoreProvider.Postgres)
            {
                throw new InvalidOperationException("Store:ConnectionString is required when Store:Provider is postgres.");
            }
            connection = $"Data Source={Path.Combine(dataDirectory, DatabaseFileName)}";
        }
        return new StoreSettings
        {
            Store = new StoreOptions(provider, connection)
            {
                Synchronous = StoreOptions.ParseSynchronous(setting("Store:SqliteSynchronous")),
                GroupCommit = Bool(setting, "Store:GroupCommit", true),
                CommandTimeout = TimeSpan.FromSeconds(Int(setting, "Store:CommandTimeoutSeconds", 10)),
                ConnectTimeout = TimeSpan.FromSeconds(Int(setting, "Store:ConnectTimeoutSeconds", 10)),
            },
            DataDirectory = dataDirectory,
            EmbeddedDefault = embedded,
        };
    }

    /// <summary>Where the store is, for a message: the SQLite file, or the PostgreSQL host and database (never the password).</summary>
    public string Describe()
    {
        if (SqliteFile is { } file) return file;
        if (Store.Provider == StoreProvider.Sqlite) return "in-memory SQLite";
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(Store.ConnectionString);
            return $"PostgreSQL at {builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL";
        }
    }

    private static bool Bool(Func<string, string?> setting, string key, bool fallback) => setting(key) switch
    {
        null or "" => fallback,
        var v when bool.TryParse(v.Trim(), out var b) => b,
        _ => throw new InvalidOperationException($"{key} must be true or false."),
    };

    private static int Int(Func<string, string?> setting, string key, int fallback) => setting(key) switch
    {
        null or "" => fallback,
        var v when int.TryParse(v.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 => n,
        _ => throw new InvalidOperationException($"{key} must be a non-negative whole number."),
    };
}
