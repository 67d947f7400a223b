using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Partnerships.Storage;

/// <summary>
/// Tells a store that cannot answer right now (down, restarting, unreachable, too slow, locked past the time-out) from a
/// fault in the request or the code. The first is worth a retry and leaves the host as 503; the second stays a 500.
/// </summary>
public static class StoreFailures
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Npgsql's own errors (no server answer: refused, reset, timed out, pool exhausted) and the server's
                // transient ones (starting up, shutting down, too many connections, ...).
                case PostgresException pg when pg.IsTransient || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                                               || pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                                               || pg.SqlState == PostgresErrorCodes.QueryCanceled: // the command time-out's cancel
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException:
                    return true;
                // SQLITE_BUSY / SQLITE_LOCKED once the busy time-out has run out.
                case SqliteException { SqliteErrorCode: 5 or 6 }:
                    return true;
                case SocketException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
