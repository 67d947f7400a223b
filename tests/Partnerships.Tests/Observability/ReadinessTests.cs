using Npgsql;
using Partnerships.Storage;
using Partnerships.Testing;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Observability;

/// <summary>/healthz says the process is alive; /readyz turns 503 while the store is unreachable and 200 again once it is back.</summary>
public abstract class ReadinessTests(StoreKind kind)
{
    [Fact]
    public async Task Readyz_answers_503_while_the_store_is_unreachable_and_200_once_it_is_back()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Telemetry:HealthCheckTimeoutSeconds"] = "2" });
        using var client = server.Client();
        Assert.Equal("ready", (await client.GetJsonAsync("/readyz")).Body);

        await using (var outage = await Outage.BeginAsync(server))
        {
            var down = await TelemetryTests.PollAsync(() => client.GetJsonAsync("/readyz"), r => r.Status == 503);
            Assert.Equal(503, down.Status);
            Assert.Contains("store: the store", down.Json.GetProperty("message").GetString());
            Assert.Equal("2", down.Header("Retry-After"));
            // Alive all the same: a restart would not bring the store back.
            Assert.Equal(200, (await client.GetJsonAsync("/healthz")).Status);
        }

        var up = await TelemetryTests.PollAsync(() => client.GetJsonAsync("/readyz"), r => r.Status == 200);
        Assert.Equal("ready", up.Body);
    }

    /// <summary>
    /// SQLite: the database's folder moves away (and the pool lets go of its handles), so no connection opens. PostgreSQL:
    /// the server's database is dropped with its connections, then created and migrated again.
    /// </summary>
    private sealed class Outage(Func<Task> end) : IAsyncDisposable
    {
        public static async Task<Outage> BeginAsync(TestServer server)
        {
            if (server.Kind == StoreKind.Sqlite)
            {
                var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(server.ConnectionString).DataSource;
                var folder = Path.GetDirectoryName(file)!;
                var away = folder + "-away";
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Move(folder, away);
                return new Outage(() =>
                {
                    Directory.Move(away, folder);
                    return Task.CompletedTask;
                });
            }
            var cluster = await PostgresCluster.SharedAsync();
            var name = new NpgsqlConnectionStringBuilder(server.ConnectionString).Database!;
            await AdminAsync(cluster, $"DROP DATABASE \"{name}\" WITH (FORCE)");
            return new Outage(async () =>
            {
                await AdminAsync(cluster, $"CREATE DATABASE \"{name}\"");
                await new Migrator(new Database(new StoreOptions(StoreProvider.Postgres, server.ConnectionString)),
                    new Partnerships.Storage.DataMigrations.MigrationContext { SecretKey = Convert.FromBase64String(server.SecretKey) }).MigrateAsync();
            });
        }

        private static async Task AdminAsync(PostgresCluster cluster, string sql)
        {
            await using var connection = new NpgsqlConnection(cluster.AdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync() => await end();
    }
}

public sealed class SqliteReadinessTests() : ReadinessTests(StoreKind.Sqlite);
public sealed class PostgresReadinessTests() : ReadinessTests(StoreKind.Postgres);
