using Microsoft.Extensions.Configuration;
using Partnerships.Application;
using Partnerships.Storage;

/// <summary>
/// The configuration and store a command works on, found the way the service finds them: the same keys (<c>Store:Provider</c>,
/// <c>Store:ConnectionString</c>, <c>Store:DataDirectory</c>, default <c>./data</c>) from the same environment variables
/// (<c>Store__Provider</c>, …), which <c>--provider</c>, <c>--connection</c> and <c>--data-dir</c> override. Nothing is created
/// here: a command other than <c>migrate</c> refuses when the embedded database file is absent, rather than start an empty one.
/// </summary>
internal sealed class CliStore
{
    private Database? _db;

    private CliStore(IConfiguration configuration, StoreSettings settings) => (Configuration, Settings) = (configuration, settings);

    public IConfiguration Configuration { get; }
    public StoreSettings Settings { get; }
    public string DataDirectory => Settings.DataDirectory;
    public StoreProvider Provider => Settings.Provider;

    public static CliStore From(string? provider, string? connection, string? dataDirectory)
    {
        var overrides = new Dictionary<string, string?>();
        if (provider is not null) overrides["Store:Provider"] = provider;
        if (connection is not null) overrides["Store:ConnectionString"] = connection;
        if (dataDirectory is not null) overrides["Store:DataDirectory"] = dataDirectory;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides).Build();
        try
        {
            return new CliStore(configuration, StoreSettings.From(key => configuration[key]));
        }
        catch (InvalidOperationException e)
        {
            throw new CliError(ExitCodes.BadInput, e.Message);
        }
    }

    /// <summary>The SQLite file (null on PostgreSQL); a connection string SQLite cannot read is the operator's to fix.</summary>
    public string? SqliteFile
    {
        get
        {
            try { return Settings.SqliteFile; }
            catch (ArgumentException e) { throw new CliError(ExitCodes.StoreUnavailable, $"Store:ConnectionString (--connection) is not a SQLite connection string: {e.Message}"); }
        }
    }

    /// <summary>The store exists: PostgreSQL always answers for itself; SQLite's file must be there.</summary>
    public bool Exists => SqliteFile is not { } file || File.Exists(file);

    /// <summary>The store without checks: <c>migrate</c> creates it; everything else goes through <see cref="ReadyAsync"/>.</summary>
    public Database Open()
    {
        try
        {
            return _db ??= new Database(Settings.Store);
        }
        catch (ArgumentException e)
        {
            throw new CliError(ExitCodes.StoreUnavailable, $"Store:ConnectionString (--connection) is not a valid connection string: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // The store's own reading of the string: it names the setting and never repeats the string.
            throw new CliError(ExitCodes.StoreUnavailable, e.Message);
        }
    }

    /// <summary>The store exists, answers and is migrated; otherwise one line says where the CLI looked and what to do.</summary>
    public async Task<Database> ReadyAsync()
    {
        if (SqliteFile is { } file && !File.Exists(file))
        {
            throw new CliError(ExitCodes.StoreUnavailable, Settings.EmbeddedDefault
                ? $"No store at {file} (the data folder is Store:DataDirectory, default ./data): start the service once there, " +
                  "pass --data-dir <the service's data folder>, or run `partnerships migrate` to create a new store."
                : $"No store at {file} (Store:ConnectionString): check --connection, or run `partnerships migrate` to create a new store there.");
        }
        var db = Open();
        if ((await new Migrator(db).PendingAsync()).Count > 0)
        {
            throw new CliError(ExitCodes.StoreUnavailable, $"The store at {Settings.Describe()} has pending migrations: run `partnerships migrate` first.");
        }
        return db;
    }

    /// <summary>A setting by its configuration key (<c>Auth:SigningKey</c>; from <c>Auth__SigningKey</c> in the environment).</summary>
    public string? this[string key] => Configuration[key];
}
