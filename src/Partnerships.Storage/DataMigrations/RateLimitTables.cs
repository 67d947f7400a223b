using Dapper;

namespace Partnerships.Storage.DataMigrations;

/// <summary>
/// Operators' per-platform rate limits (durable settings), and on PostgreSQL the limiter's shared ledger: an UNLOGGED
/// table in a schema of its own, because it is not state — it may be lost on a crash, and counting requests must not
/// cost a durable write. SQLite keeps the ledger in a side file of its own (<see cref="RateLimitLedger"/>).
/// </summary>
public sealed class RateLimitTables : IDataMigration
{
    public int Version => 12;
    public string Name => "rate_limits";

    public async Task ApplyAsync(DbSession session, MigrationContext context, CancellationToken ct)
    {
        await session.Connection.ExecuteAsync("""
            CREATE TABLE platform_rate_limits (
                platform_id TEXT NOT NULL REFERENCES platforms(id),
                policy      TEXT NOT NULL,
                per_minute  INTEGER NOT NULL,
                updated_at  TEXT NOT NULL,
                PRIMARY KEY (platform_id, policy)
            )
            """, transaction: session.Transaction);
        if (session.Database.IsPostgres)
        {
            await session.Connection.ExecuteAsync($"""
                CREATE SCHEMA IF NOT EXISTS {RateLimitLedger.PostgresSchema};
                CREATE UNLOGGED TABLE IF NOT EXISTS {RateLimitLedger.PostgresSchema}.grants (
                    id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    bucket TEXT NOT NULL,
                    at_ms  BIGINT NOT NULL,
                    units  INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS ix_grants_bucket_at ON {RateLimitLedger.PostgresSchema}.grants (bucket, at_ms);
                """, transaction: session.Transaction);
        }
    }
}
