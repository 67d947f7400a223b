using System.Diagnostics;
using Dapper;
using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Availability;

/// <summary>The embedded store's commit durability setting.</summary>
public sealed class SqliteDurabilityTests
{
    private static async Task<long> SynchronousLevelAsync(Database db)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("PRAGMA synchronous;");
    }

    [Fact]
    public async Task The_embedded_store_commits_with_synchronous_FULL_by_default()
    {
        await using var server = await TestServer.StartAsync(StoreKind.Sqlite);
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        Assert.Equal(200, (await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey())).Status);
        // Every connection the server's pool hands out, fresh or reused, is FULL (2) with foreign keys on.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(2, await SynchronousLevelAsync(server.Database));
        }
        await using var connection = await server.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys;"));
    }

    [Fact]
    public async Task NORMAL_is_an_opt_in_setting_and_an_unknown_value_stops_the_start()
    {
        await using (var server = await TestServer.StartAsync(StoreKind.Sqlite, new Dictionary<string, string?> { ["Store:SqliteSynchronous"] = "normal" }))
        {
            using var client = await server.DemoClientAsync();
            var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
            Assert.Equal(200, (await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);
            Assert.Equal(1, await SynchronousLevelAsync(server.Database));
        }
        var error = await Assert.ThrowsAsync<Partnerships.Api.Hosting.StartupException>(() =>
            TestServer.StartAsync(StoreKind.Sqlite, new Dictionary<string, string?> { ["Store:SqliteSynchronous"] = "sometimes" }));
        Assert.Contains("Store:SqliteSynchronous", error.Message);
    }
}

/// <summary>A write that cannot get at the store within the store-command time-out: 503, nothing committed, its key reusable.</summary>
public abstract class StoreTimeoutTests(StoreKind kind)
{
    [Fact]
    public async Task A_write_blocked_past_the_store_command_timeout_answers_503_commits_nothing_and_its_key_still_works()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Store:CommandTimeoutSeconds"] = "1" });
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var path = $"/v1/partnership/accounts/{accountId}/status";
        Assert.Equal(200, (await client.PutJsonAsync(path, new { status = "paused" }, Http.NewKey())).Status);
        var tables = StoreSnapshot.StateTables.Append("idempotency_keys").ToArray();
        var before = await StoreSnapshot.TakeAsync(server.Database, tables);

        // Another writer holds what this write needs: SQLite's write lock, or the account's row lock on PostgreSQL.
        var key = Http.NewKey();
        Reply blocked;
        var watch = Stopwatch.StartNew();
        await using (var holder = await server.Database.OpenAsync())
        await using (var transaction = await server.Database.BeginWriteAsync(holder))
        {
            if (kind == StoreKind.Postgres)
            {
                await holder.ExecuteAsync("SELECT id FROM accounts WHERE id = @accountId FOR UPDATE", new { accountId }, transaction);
            }
            blocked = await client.PutJsonAsync(path, new { status = "active" }, key);
            watch.Stop();
            await transaction.RollbackAsync();
        }

        Assert.Equal(503, blocked.Status);
        Assert.Equal("ServiceUnavailable", blocked.Error);
        Assert.Equal(JsonNull, blocked.Json.GetProperty("data").ValueKind);
        Assert.NotNull(blocked.Header("Retry-After"));
        Assert.NotNull(blocked.Header("X-Request-Id"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, tables));

        // The key was not spent: the same request now runs for real (no replay of the 503).
        var retried = await client.PutJsonAsync(path, new { status = "active" }, key);
        Assert.Equal(200, retried.Status);
        Assert.Null(retried.Header("Idempotent-Replayed"));
        Assert.Equal("active", retried.Data.GetProperty("status").GetString());
        var replayed = await client.PutJsonAsync(path, new { status = "active" }, key);
        Assert.Equal("true", replayed.Header("Idempotent-Replayed"));
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}

public sealed class SqliteStoreTimeoutTests() : StoreTimeoutTests(StoreKind.Sqlite);
public sealed class PostgresStoreTimeoutTests() : StoreTimeoutTests(StoreKind.Postgres);

/// <summary>The request time-out: a request still waiting on the store when it runs out answers 503 and changes nothing.</summary>
public sealed class PostgresRequestTimeoutTests
{
    [Fact]
    public async Task A_request_waiting_for_a_store_connection_past_the_request_timeout_answers_503_with_Retry_After()
    {
        // One pooled connection, held by the test: every request then waits for it on its way in (the credential check).
        var cluster = await Partnerships.Testing.PostgresCluster.SharedAsync();
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(await cluster.CreateDatabaseAsync()) { MaxPoolSize = 1 }.ConnectionString;
        await using var server = await TestServer.StartAsync(StoreKind.Postgres, new Dictionary<string, string?>
        {
            ["Http:RequestTimeoutSeconds"] = "1",
            ["Store:ConnectTimeoutSeconds"] = "30",
            ["Outbox:Dispatcher"] = "false",
        }, connectionString: connectionString);
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(server.Database);

        var replies = new List<(Reply Reply, TimeSpan Took)>();
        await using (await server.Database.OpenAsync())
        {
            foreach (var send in new Func<Task<Reply>>[]
            {
                () => client.GetJsonAsync($"/v1/partnership/accounts/{accountId}"),
                () => client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey()),
            })
            {
                var watch = Stopwatch.StartNew();
                replies.Add((await send(), watch.Elapsed));
            }
        }

        Assert.All(replies, r =>
        {
            Assert.Equal(503, r.Reply.Status);
            Assert.Equal("ServiceUnavailable", r.Reply.Error);
            Assert.NotNull(r.Reply.Header("Retry-After"));
            Assert.NotNull(r.Reply.Header("X-Request-Id"));
            Assert.True(r.Took < TimeSpan.FromSeconds(6), $"took {r.Took}");
        });
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database));
        Assert.Equal(200, (await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);
    }
}
