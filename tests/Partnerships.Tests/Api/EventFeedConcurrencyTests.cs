using Dapper;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Writers in two server processes commit events on many accounts at once, in any order, while a reader follows the feed by
/// its cursor: positions are given after commit, so a late commit lands after the cursor, never behind it.
/// </summary>
public sealed class EventFeedConcurrencyPostgresTests : IAsyncLifetime
{
    private const int Accounts = 6;
    private const int WritesPerAccount = 8;
    private TestServer _seeded = null!;

    public async Task InitializeAsync() => _seeded = await TestServer.StartAsync(StoreKind.Postgres);
    public async Task DisposeAsync() => await _seeded.DisposeAsync();

    [Fact]
    public async Task A_reader_following_the_feed_during_concurrent_writes_from_two_processes_sees_every_committed_event_once_in_position_order()
    {
        var raised = TestServer.RaisedRateLimits.ToDictionary(p => p.Key, p => p.Value!);
        await using var a = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_seeded, raised));
        await using var b = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_seeded, raised));
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        using var clientA = a.Client(token);
        using var clientB = b.Client(token);
        HttpClient[] clients = [clientA, clientB];
        using var admin = _seeded.AdminClient();

        var seen = new List<(long Position, string EventId)>();
        var cursor = 0L;
        async Task<int> ReadPageAsync()
        {
            var page = await admin.GetJsonAsync($"/admin/v1/events?after={cursor}&limit=25");
            Assert.Equal(200, page.Status);
            var events = page.Data.GetProperty("events").EnumerateArray().ToList();
            seen.AddRange(events.Select(e => (e.GetProperty("seq").GetInt64(), e.GetProperty("event_id").GetString()!)));
            cursor = page.Data.GetProperty("next_cursor").GetInt64();
            return events.Count;
        }

        var writing = Task.WhenAll(Enumerable.Range(0, Accounts).Select(i => Task.Run(async () =>
        {
            var client = clients[i % 2];
            var accountId = await client.RegisterAsync(_seeded.DemoOne.PlatformParentAccountId);
            for (var n = 0; n < WritesPerAccount; n++)
            {
                var body = new { name = $"Controls {n}", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>() };
                var reply = await clients[(i + n) % 2].PutJsonAsync($"/v1/partnership/accounts/{accountId}/marketplacecontrolslists", body, Http.NewKey());
                Assert.Equal(200, reply.Status);
            }
        })));
        while (!writing.IsCompleted) await ReadPageAsync();
        await writing;

        long stored;
        await using (var connection = await _seeded.Database.OpenAsync())
        {
            stored = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events");
        }
        Assert.True(stored >= Accounts * (WritesPerAccount + 1));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < stored && DateTime.UtcNow < deadline) await ReadPageAsync();

        Assert.Equal(seen.Count, seen.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(seen.Select(e => e.Position).Order(), seen.Select(e => e.Position));
        Assert.Equal(seen.Count, seen.Select(e => e.Position).Distinct().Count());
        await using (var connection = await _seeded.Database.OpenAsync())
        {
            var all = (await connection.QueryAsync<string>("SELECT event_id FROM events ORDER BY position")).ToList();
            Assert.Equal(all, seen.Select(e => e.EventId));
        }
    }
}
