using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Partnerships.Delivery;
using Partnerships.Storage;
using Partnerships.Storage.Stores;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>One server per store whose clock stands still; the background purge is off, so each test runs a purge itself.</summary>
public abstract class RetentionFixture(StoreKind kind) : IAsyncLifetime
{
    public TestClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
    {
        ["Retention:Worker"] = "false",
        ["Retention:BatchPauseMilliseconds"] = "0",
        ["Outbox:Dispatcher"] = "false",
    }, Clock);

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}

public sealed class SqliteRetentionFixture() : RetentionFixture(StoreKind.Sqlite);
public sealed class PostgresRetentionFixture() : RetentionFixture(StoreKind.Postgres);

/// <summary>
/// Each kind of record is kept for its window to the microsecond, what is still to be delivered or finished is never
/// taken however old, and a purge larger than a batch runs in short batches that partner writes get between.
/// </summary>
public abstract class RetentionTests(RetentionFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private TestServer Server => fixture.Server;
    private DateTimeOffset Now => fixture.Clock.GetUtcNow();
    private static readonly TimeSpan Micro = TimeSpan.FromTicks(10);
    private RetentionWorker Purge => Server.Services.GetRequiredService<RetentionWorker>();

    /// <summary>A kind's row stamped at a time: inserted as the service writes it, then looked up by its key.</summary>
    private sealed record Kind(TimeSpan Window, Func<DbSession, DateTimeOffset, Task<string>> Insert, string Table, string Key);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["operations"] = new(TimeSpan.FromDays(30), InsertOperationAsync, "operations", "id"),
        ["delivered outbox messages"] = new(TimeSpan.FromDays(30), (s, at) => InsertMessageAsync(s, "delivered", at), "outbox_messages", "message_id"),
        ["withdrawn outbox messages"] = new(TimeSpan.FromDays(30), (s, at) => InsertMessageAsync(s, "cancelled", at), "outbox_messages", "message_id"),
        ["events"] = new(TimeSpan.FromDays(90), InsertEventAsync, "events", "event_id"),
        ["audit entries"] = new(TimeSpan.FromDays(365), InsertAuditAsync, "audit_log", "request_id"),
        // An idempotency record's window is its TTL: it is kept until it expires (stamped here by its expiry).
        ["idempotency records"] = new(TimeSpan.Zero, (s, at) => InsertIdempotencyAsync(s, at), "idempotency_keys", "idem_key"),
    };

    public static TheoryData<string> KindNames => [.. Kinds.Keys];

    [Theory]
    [MemberData(nameof(KindNames))]
    public async Task A_row_just_inside_its_window_stays_and_one_just_past_it_goes(string name)
    {
        var kind = Kinds[name];
        var edge = Now - kind.Window;
        string past, inside;
        await using (var s = await DbSession.WriteAsync(Server.Database))
        {
            past = await kind.Insert(s, edge - Micro);
            inside = await kind.Insert(s, edge + Micro);
            await s.CommitAsync();
        }
        await EventStore.AssignPositionsAsync(Server.Database);

        await Purge.PurgeAsync();

        Assert.False(await ExistsAsync(kind, past), $"{name}: a row one microsecond past its window is still there");
        Assert.True(await ExistsAsync(kind, inside), $"{name}: a row one microsecond inside its window is gone");
    }

    [Fact]
    public async Task Messages_still_to_deliver_and_dead_letters_and_unfinished_operations_are_never_purged_however_old()
    {
        var ancient = Now - TimeSpan.FromDays(3650);
        var kept = new List<(string Table, string Key, string Value)>();
        await using (var s = await DbSession.WriteAsync(Server.Database))
        {
            foreach (var status in new[] { "pending", "dead" })
            {
                kept.Add(("outbox_messages", "message_id", await InsertMessageAsync(s, status, ancient)));
            }
            foreach (var status in new[] { "pending", "in_progress" })
            {
                kept.Add(("operations", "id", await InsertOperationAsync(s, ancient, status)));
            }
            await s.CommitAsync();
        }

        await Purge.PurgeAsync();

        foreach (var (table, key, value) in kept)
        {
            Assert.True(await ExistsAsync(new Kind(TimeSpan.Zero, null!, table, key), value), $"{table} {value} was purged");
        }
    }

    [Fact]
    public async Task The_newest_event_is_kept_past_its_window_so_the_feed_counts_on_from_it()
    {
        await using (var s = await DbSession.WriteAsync(Server.Database))
        {
            await InsertEventAsync(s, Now - TimeSpan.FromDays(400));
            await InsertEventAsync(s, Now - TimeSpan.FromDays(399));
            await s.CommitAsync();
        }
        await EventStore.AssignPositionsAsync(Server.Database);
        var newest = await NewestPositionAsync();
        // Every event of this store is now older than the window; only a store whose newest event is old behaves so.
        await using (var c = await Server.Database.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE events SET created_at = @old", new { old = Database.Timestamp(Now - TimeSpan.FromDays(400)) });
        }

        await Purge.PurgeAsync();

        await using (var c = await Server.Database.OpenAsync())
        {
            Assert.Equal([newest], await c.QueryAsync<long>("SELECT position FROM events"));
        }
        await using (var s = await DbSession.WriteAsync(Server.Database))
        {
            await InsertEventAsync(s, Now);
            await s.CommitAsync();
        }
        await EventStore.AssignPositionsAsync(Server.Database);
        Assert.Equal(newest + 1, await NewestPositionAsync());
    }

    [Fact]
    public async Task A_purge_of_more_rows_than_a_batch_takes_several_short_batches_and_partner_writes_succeed_in_between()
    {
        const int rows = 1200, batch = 100;
        await using (var s = await DbSession.WriteAsync(Server.Database))
        {
            for (var i = 0; i < rows; i++) await InsertAuditAsync(s, Now - TimeSpan.FromDays(400));
            await s.CommitAsync();
        }
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var options = Server.Services.GetRequiredService<RetentionOptions>() with { BatchSize = batch, BatchPause = TimeSpan.FromMilliseconds(20) };
        var worker = new RetentionWorker(Server.Database, options, Server.Services.GetRequiredService<EmailOptions>(), fixture.Clock,
            NullLogger<RetentionWorker>.Instance);

        var purge = Task.Run(() => worker.PurgeAsync());
        var during = 0;
        var statuses = new List<int>();
        while (!purge.IsCompleted)
        {
            var reply = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = statuses.Count % 2 == 0 ? "paused" : "active" }, Http.NewKey());
            statuses.Add(reply.Status);
            if (!purge.IsCompleted) during++;
        }
        var run = await purge;
        output.WriteLine($"{run}; {during} partner writes completed while it ran");

        Assert.True(run.AuditEntries >= rows, $"removed {run.AuditEntries} audit entries");
        Assert.True(run.Batches >= rows / batch, $"{run.Batches} batches");
        Assert.All(statuses, status => Assert.Equal(200, status));
        Assert.True(during > 0, "no partner write completed while the purge ran");
        Assert.True(run.LongestBatch < TimeSpan.FromSeconds(5), $"the longest batch took {run.LongestBatch}");
    }

    public static TheoryData<string, string> TargetsAndIndexes => new()
    {
        { "idempotency records", "ix_idempotency_keys_expires" },
        { "operations", "ix_operations_finished" },
        { "delivered outbox messages", "ix_outbox_delivered" },
        { "withdrawn outbox messages", "ix_outbox_cancelled" },
        { "events", "ix_events_created" },
        { "audit entries", "ix_audit_log_at" },
    };

    [Theory]
    [MemberData(nameof(TargetsAndIndexes))]
    public async Task Each_batch_is_a_range_scan_of_its_index(string kind, string index)
    {
        var target = new[]
        {
            RetentionStore.IdempotencyRecords, RetentionStore.Operations, RetentionStore.DeliveredMessages, RetentionStore.WithdrawnMessages,
            RetentionStore.Events, RetentionStore.AuditEntries,
        }.Single(t => t.Kind == kind);
        await using var c = await Server.Database.OpenAsync();
        // PostgreSQL plans a small table with a scan and a sort whatever its indexes; with those off, the plan shows
        // whether an index answers in order (SQLite is held to the index by the statement itself).
        if (Server.Database.IsPostgres) await c.ExecuteAsync("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off");
        var plan = string.Join('\n', Server.Database.IsPostgres
            ? await c.QueryAsync<string>("EXPLAIN " + target.SelectSql(Server.Database), new { cutoff = Database.Timestamp(Now), batch = 500 })
            : (await c.QueryAsync("EXPLAIN QUERY PLAN " + target.SelectSql(Server.Database), new { cutoff = Database.Timestamp(Now), batch = 500 }))
                .Select(r => (string)((IDictionary<string, object>)r)["detail"]));
        Assert.Equal(index, target.Index);
        Assert.Contains(index, plan);
        Assert.DoesNotContain("Sort", plan); // read in index order: the batch stops at its limit
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    private async Task<bool> ExistsAsync(Kind kind, string value)
    {
        await using var c = await Server.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {kind.Table} WHERE {kind.Key} = @value", new { value }) > 0;
    }

    private async Task<long> NewestPositionAsync()
    {
        await using var c = await Server.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT MAX(position) FROM events");
    }

    private static string At(DateTimeOffset at) => Database.Timestamp(at);

    private static async Task<string> InsertOperationAsync(DbSession s, DateTimeOffset at) => await InsertOperationAsync(s, at, "completed");

    private static async Task<string> InsertOperationAsync(DbSession s, DateTimeOffset at, string status)
    {
        var id = "op_" + Guid.NewGuid().ToString("N");
        await OperationStore.InsertAsync(s, new OperationRow
        {
            Id = id, PlatformId = "platform", Type = "status.update", Status = status, RequestId = "req_" + id, ResponseStatus = 200,
            ResponseBody = "{}", CreatedAt = At(at), UpdatedAt = At(at),
        });
        return id;
    }

    private static async Task<string> InsertMessageAsync(DbSession s, string status, DateTimeOffset at)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        await OutboxStore.InsertAsync(s, new OutboxRow
        {
            MessageId = id, Channel = "webhook", Topic = "account.status.updated", Payload = "{}", NextAttemptAt = At(at), CreatedAt = At(at),
        });
        await s.Connection.ExecuteAsync(
            "UPDATE outbox_messages SET status = @status, delivered_at = @delivered, attempts = @attempts WHERE message_id = @id",
            new { id, status, delivered = status == "delivered" ? At(at) : null, attempts = status == "dead" ? 8 : 1 }, s.Transaction);
        return id;
    }

    private static async Task<string> InsertEventAsync(DbSession s, DateTimeOffset at)
    {
        var id = "evt_" + Guid.NewGuid().ToString("N");
        await EventStore.InsertAsync(s, new EventRow { EventId = id, Type = "account.status.updated", Payload = "{}", CreatedAt = At(at) });
        return id;
    }

    private static async Task<string> InsertAuditAsync(DbSession s, DateTimeOffset at)
    {
        var id = "req_" + Guid.NewGuid().ToString("N");
        await AuditStore.InsertAsync(s, new AuditRow { At = At(at), RequestId = id, Method = "PUT", Path = "/v1/partnership/accounts/a/status", StatusCode = 200, Outcome = "committed" });
        return id;
    }

    private static async Task<string> InsertIdempotencyAsync(DbSession s, DateTimeOffset expires)
    {
        var key = Guid.NewGuid().ToString();
        await IdempotencyStore.SaveAsync(s, new IdempotencyRow
        {
            PlatformId = "platform", Scope = "account", IdemKey = key, Fingerprint = "f", StatusCode = 200, ResponseBody = "{}", ResponseHeaders = "{}",
            CreatedAt = At(expires - TimeSpan.FromDays(1)), ExpiresAt = At(expires),
        });
        return key;
    }
}

public sealed class SqliteRetentionTests(SqliteRetentionFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
    : RetentionTests(fixture, output), IClassFixture<SqliteRetentionFixture>;
public sealed class PostgresRetentionTests(PostgresRetentionFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
    : RetentionTests(fixture, output), IClassFixture<PostgresRetentionFixture>;
