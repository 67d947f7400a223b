using System.Collections.Concurrent;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Availability;

/// <summary>
/// Writes that share a commit (SQLite's group commit) still get each their own outcome, and a crash in the middle of
/// batches loses no acknowledged write: every write answered 2xx is there after a restart, and every write left unanswered
/// is either absent or already done, and a retry with its key settles which.
/// </summary>
public abstract class GroupCommitTests(StoreKind kind)
{
    private static object Controls(string name) => new { name, blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>() };

    [Fact]
    public async Task Concurrent_writes_each_get_their_own_outcome_and_a_refused_one_takes_nothing_of_the_others_with_it()
    {
        await using var server = await TestServer.StartAsync(kind);
        using var client = await server.DemoClientAsync();
        var accounts = new List<string>();
        for (var i = 0; i < 8; i++) accounts.Add(await client.RegisterAsync(server.DemoOne.PlatformParentAccountId));

        // Half the writes are valid; the other half carry a stale If-Match and must be refused with 412, alone.
        var writes = Enumerable.Range(0, 64).Select(i => (Account: accounts[i / 2 % accounts.Count], Name: $"batch {i}", Stale: i % 2 == 1)).ToArray();
        var replies = await Task.WhenAll(writes.Select(w => client.PutJsonAsync($"/v1/partnership/accounts/{w.Account}/marketplacecontrolslists",
            Controls(w.Name), Http.NewKey(), w.Stale ? new Dictionary<string, string> { ["If-Match"] = "\"stale\"" } : null)));

        for (var i = 0; i < writes.Length; i++)
        {
            Assert.Equal(writes[i].Stale ? 412 : 200, replies[i].Status);
            if (!writes[i].Stale) Assert.Equal(writes[i].Name, replies[i].Data.GetProperty("name").GetString());
        }
        foreach (var account in accounts)
        {
            // The account's final name is one its valid writes set, never a refused one's.
            var name = (await client.GetJsonAsync($"/v1/partnership/accounts/{account}/marketplacecontrolslists")).Data.GetProperty("name").GetString();
            Assert.Contains(writes, w => w.Account == account && !w.Stale && w.Name == name);
        }
        Assert.Equal(64, await StoreSnapshot.CountAsync(server.Database, "operations", "type = 'marketplace_controls.update'"));
        Assert.Equal(32, await StoreSnapshot.CountAsync(server.Database, "operations", "type = 'marketplace_controls.update' AND status = 'failed'"));
        if (kind == StoreKind.Sqlite)
        {
            var (units, batches) = server.Database.GroupCommitted;
            Assert.True(units > batches, $"{units} writes in {batches} commits: the concurrent writes never shared a commit");
        }
    }

    [Fact]
    public async Task A_process_killed_in_the_middle_of_batches_keeps_every_acknowledged_write_and_each_unanswered_one_settles_by_its_key()
    {
        await using var seeded = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
        using var seedClient = await seeded.DemoClientAsync();
        var accounts = new List<string>();
        for (var i = 0; i < 16; i++) accounts.Add(await seedClient.RegisterAsync(seeded.DemoOne.PlatformParentAccountId));
        var token = await seeded.TokenAsync(seeded.DemoOne.ClientId, seeded.DemoOne.ClientSecret);
        var settings = ServerProcess.SharingStoreOf(seeded, new Dictionary<string, string> { ["Outbox:Dispatcher"] = "false" });

        var acknowledged = new ConcurrentBag<(string Path, string Key, string Name, string OperationId)>();
        var unanswered = new ConcurrentBag<(string Path, string Key, string Name)>();
        await using (var doomed = await ServerProcess.StartAsync(settings))
        {
            using var client = doomed.Client(token);
            using var stop = new CancellationTokenSource();
            var sequence = 0;
            var workers = Enumerable.Range(0, 32).Select(w => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref sequence);
                    var path = $"/v1/partnership/accounts/{accounts[n % accounts.Count]}/marketplacecontrolslists";
                    var (key, name) = (Http.NewKey(), $"crash {n}");
                    try
                    {
                        var reply = await client.PutJsonAsync(path, Controls(name), key);
                        Assert.Equal(200, reply.Status);
                        acknowledged.Add((path, key, name, reply.Header("X-Operation-Id")!));
                    }
                    catch (HttpRequestException)
                    {
                        unanswered.Add((path, key, name));
                        return;
                    }
                }
            })).ToArray();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (acknowledged.Count < 150 && DateTime.UtcNow < deadline) await Task.Delay(20);
            doomed.Kill();
            stop.Cancel();
            await Task.WhenAll(workers);
        }
        Assert.True(acknowledged.Count >= 50, $"only {acknowledged.Count} writes were acknowledged before the deadline");
        Assert.NotEmpty(unanswered);

        await using var restarted = await ServerProcess.StartAsync(settings);
        using var after = restarted.Client(token);
        foreach (var write in acknowledged)
        {
            var again = await after.PutJsonAsync(write.Path, Controls(write.Name), write.Key);
            Assert.Equal(200, again.Status);
            Assert.Equal("true", again.Header("Idempotent-Replayed"));
            Assert.Equal(write.OperationId, again.Header("X-Operation-Id"));
            var operation = await after.GetJsonAsync($"/v1/partnership/operations/{write.OperationId}");
            Assert.Equal(200, operation.Status);
            Assert.Equal("completed", operation.Data.GetProperty("status").GetString());
        }
        foreach (var write in unanswered)
        {
            // Committed before the kill (its answer was lost) or not at all: the retry replays it or does it now, once.
            var retry = await after.PutJsonAsync(write.Path, Controls(write.Name), write.Key);
            Assert.Equal(200, retry.Status);
            Assert.Equal(write.Name, retry.Data.GetProperty("name").GetString());
            var replay = await after.PutJsonAsync(write.Path, Controls(write.Name), write.Key);
            Assert.Equal("true", replay.Header("Idempotent-Replayed"));
            Assert.Equal(retry.Header("X-Operation-Id"), replay.Header("X-Operation-Id"));
        }
    }
}

public sealed class SqliteGroupCommitTests() : GroupCommitTests(StoreKind.Sqlite);
public sealed class PostgresGroupCommitTests() : GroupCommitTests(StoreKind.Postgres);
