using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Delivery;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// What partners and operators see once the purge has run past real writes: a purged operation is a 404 like an unknown
/// one, the welcome e-mail's pickup copy goes with its message, and the event feed carries on from the oldest kept event,
/// its positions counting on from the highest it ever gave.
/// </summary>
public abstract class RetentionAfterPurgeTests(StoreKind kind) : IAsyncLifetime
{
    private readonly TestClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Retention:Worker"] = "false" }, _clock);

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private RetentionWorker Purge => _server.Services.GetRequiredService<RetentionWorker>();

    private async Task<(List<long> Positions, long Next)> FeedAsync(long after)
    {
        using var admin = _server.AdminClient();
        var page = await admin.GetJsonAsync($"/admin/v1/events?after={after}&limit=1000");
        Assert.Equal(200, page.Status);
        return (page.Data.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToList(),
            page.Data.GetProperty("next_cursor").GetInt64());
    }

    private async Task<JsonElement> DeliveredEmailAsync(string accountId)
    {
        using var admin = _server.AdminClient();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var delivered = (await admin.GetJsonAsync("/admin/v1/outbox?status=delivered&limit=1000")).Data.EnumerateArray()
                .Where(m => m.GetProperty("account_id").GetString() == accountId && m.GetProperty("channel").GetString() == "email").ToList();
            if (delivered.Count > 0) return delivered[0];
            Assert.True(DateTime.UtcNow < deadline, "the welcome e-mail was not delivered");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task After_the_windows_pass_operations_404_the_pickup_copy_is_gone_and_the_feed_carries_on()
    {
        using (var client = await _server.DemoClientAsync())
        {
            var accountId = await client.RegisterAsync(_server.DemoOne.PlatformParentAccountId);
            var write = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
            Assert.Equal(200, write.Status);
            var operationId = write.Header("X-Operation-Id")!;
            Assert.Equal(200, (await client.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Status);
            var email = await DeliveredEmailAsync(accountId);
            var pickup = Path.Combine(_server.Services.GetRequiredService<EmailOptions>().PickupDirectory, email.GetProperty("message_id").GetString() + ".eml");
            Assert.True(File.Exists(pickup));
            var (before, cursor) = await FeedAsync(0);
            Assert.NotEmpty(before);

            _clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
            var month = await Purge.PurgeAsync();

            Assert.True(month.Operations >= 2 && month.OutboxMessages >= 1, $"{month}");
            using var later = await _server.DemoClientAsync();
            var gone = await later.GetJsonAsync($"/v1/partnership/operations/{operationId}");
            var unknown = await later.GetJsonAsync($"/v1/partnership/operations/op_{Guid.NewGuid():N}");
            Assert.Equal(404, gone.Status);
            Assert.Equal(404, unknown.Status);
            Assert.Equal(unknown.Error, gone.Error);
            Assert.False(File.Exists(pickup), "the delivered e-mail's pickup copy outlived its message");
            Assert.Equal(before, (await FeedAsync(0)).Positions); // events are kept longer

            // Ninety days on, a new write; the events before it are past their window.
            _clock.Advance(TimeSpan.FromDays(60));
            using var partner = await _server.DemoClientAsync();
            Assert.Equal(200, (await partner.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "active" }, Http.NewKey())).Status);
            var fresh = (await FeedAsync(cursor)).Positions;
            Assert.NotEmpty(fresh);
            var quarter = await Purge.PurgeAsync();

            Assert.Equal(before.Count, quarter.Events);
            // A reader from the start, or from a cursor older than the oldest kept event, carries on from the oldest kept event.
            Assert.Equal(fresh, (await FeedAsync(0)).Positions);
            Assert.Equal(fresh, (await FeedAsync(before[0])).Positions);
            // A cursor handed out before the purge still reads exactly what came after it.
            Assert.Equal(fresh, (await FeedAsync(cursor)).Positions);
            Assert.True(fresh.Min() > cursor);
        }
    }
}

public sealed class SqliteRetentionAfterPurgeTests() : RetentionAfterPurgeTests(StoreKind.Sqlite);
public sealed class PostgresRetentionAfterPurgeTests() : RetentionAfterPurgeTests(StoreKind.Postgres);
