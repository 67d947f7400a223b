using System.Data.Common;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>
/// Turns what the start-up phases throw when an operator has something to fix into a <see cref="StartupException"/>:
/// reading the settings, reaching and preparing the store, and listening. Anything else stays what it is (a defect,
/// whose stack trace is worth having).
/// </summary>
public static partial class StartupErrors
{
    /// <summary>Runs the store's preparation (migrations, key ring, seeding); an unreachable store or a setting it refuses is a <see cref="StartupException"/>.</summary>
    public static async Task<T> PreparingAsync<T>(Func<Task<T>> prepare, StoreOptions store)
    {
        try
        {
            return await prepare();
        }
        catch (Exception e) when (Store(e, store) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Starts listening; an address that cannot be had is a <see cref="StartupException"/>.</summary>
    public static async Task ListeningAsync(Func<CancellationToken, Task> start)
    {
        try
        {
            await start(CancellationToken.None);
        }
        catch (Exception e) when (Listen(e) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Reading settings and building the services: the settings code states what is wrong as one of these.</summary>
    public static StartupException? Configuration(Exception e) => e switch
    {
        StartupException startup => startup,
        // The configuration binder's own words name the key ("Failed to convert configuration value 'x' at 'A:B' to type …").
        InvalidOperationException when BinderKey().Match(e.Message) is { Success: true } key => new StartupException(StartupFailure.Configuration,
            $"{e.Message} Set {key.Groups[1].Value} to a valid value (--{key.Groups[1].Value}=…, or the environment variable {key.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)}).", e),
        InvalidOperationException or ArgumentException or FormatException or OverflowException => new StartupException(StartupFailure.Configuration, e.Message, e),
        UnauthorizedAccessException or IOException => new StartupException(StartupFailure.Configuration,
            $"{e.Message} The data folder (Store:DataDirectory) and the database's folder must be writable by the service's user.", e),
        _ => null,
    };

    /// <summary>Reaching and preparing the store: unreachable or refusing (exit 3), or a setting that does not fit it (exit 2).</summary>
    public static StartupException? Store(Exception e, StoreOptions store) => e switch
    {
        StartupException startup => startup,
        PostgresException refused => new StartupException(StartupFailure.StoreUnavailable, PostgresRefused(refused, store), e),
        NpgsqlException or SocketException or TimeoutException when store.Provider == StoreProvider.Postgres =>
            new StartupException(StartupFailure.StoreUnavailable, PostgresUnreachable(e, store), e),
        SqliteException sqlite => new StartupException(StartupFailure.StoreUnavailable,
            $"The SQLite database {SqlitePath(store)} cannot be used: {sqlite.Message} (Store:ConnectionString, Store:DataDirectory). " +
            "Check the path, that the file is a database of this service, and that the service's user can write it and its folder.", e),
        // A data migration or the key ring saying a setting does not fit the store (the secrets key that sealed its secrets).
        InvalidOperationException => new StartupException(StartupFailure.Configuration, e.Message, e),
        DbException => new StartupException(StartupFailure.StoreUnavailable, $"The store cannot be used: {e.Message} (Store:ConnectionString).", e),
        _ => null,
    };

    /// <summary>Listening: the address is taken, not permitted, or not an address.</summary>
    public static StartupException? Listen(Exception e) => e switch
    {
        IOException or SocketException => new StartupException(StartupFailure.CannotListen,
            $"{e.Message} Stop whatever holds that address, or give the service another one with --urls (for example --urls=http://127.0.0.1:5081).", e),
        FormatException => new StartupException(StartupFailure.CannotListen,
            $"--urls is not a list of addresses ({e.Message}); give one like --urls=http://127.0.0.1:5080.", e),
        _ => null,
    };

    /// <summary>The store settings name a store the service must not start with (pending migrations).</summary>
    public static StartupException NotMigrated(int pending) => new(StartupFailure.StoreNotMigrated,
        $"The store has {pending} pending migration(s). Run `partnerships migrate` (the operator CLI, with the same Store:* settings) first, or set Store:AutoMigrate=true.");

    private static string PostgresRefused(PostgresException e, StoreOptions store)
    {
        var (target, database, user) = Describe(store);
        return e.SqlState switch
        {
            "28P01" or "28000" => $"PostgreSQL at {target} refused the login of user '{user}': {e.MessageText} ({e.SqlState}). " +
                "Fix Username and Password in Store:ConnectionString, or the server's pg_hba.conf.",
            "3D000" => $"PostgreSQL at {target} has no database '{database}' ({e.SqlState}). Create it (createdb {database}), or fix Database in Store:ConnectionString.",
            "57P03" or "53300" => $"PostgreSQL at {target} does not accept connections now: {e.MessageText} ({e.SqlState}). Start the service again once it does.",
            _ => $"PostgreSQL at {target} refused the connection: {e.MessageText} ({e.SqlState}) (Store:ConnectionString).",
        };
    }

    private static string PostgresUnreachable(Exception e, StoreOptions store)
    {
        var (target, _, _) = Describe(store);
        var socket = Find<SocketException>(e);
        var reason = socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "unknown host",
            SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route or no answer",
            _ when Find<TimeoutException>(e) is not null => "no answer within Store:ConnectTimeoutSeconds",
            _ => socket?.Message ?? e.Message,
        };
        return $"PostgreSQL at {target} cannot be reached ({reason}). Start it, or fix Host and Port in Store:ConnectionString.";
    }

    /// <summary>Where the connection string points, without anything secret in it.</summary>
    private static (string Target, string Database, string User) Describe(StoreOptions store)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(store.ConnectionString);
            return ($"{b.Host ?? "localhost"}:{b.Port}", b.Database ?? "", b.Username ?? "");
        }
        catch (ArgumentException)
        {
            return ("the configured address", "", "");
        }
    }

    private static string SqlitePath(StoreOptions store)
    {
        try { return new SqliteConnectionStringBuilder(store.ConnectionString).DataSource; }
        catch (ArgumentException) { return "(Store:ConnectionString)"; }
    }

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }
        return null;
    }

    [GeneratedRegex(@"^Failed to convert configuration value .* at '([^']+)'")]
    private static partial Regex BinderKey();
}
