using Dapper;
using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Delivery across process crashes and between processes sharing one PostgreSQL database.</summary>
public sealed class MultiProcessDeliveryTests : IAsyncLifetime
{
    private TestServer _seeded = null!;
    private WebhookReceiver _receiver = null!;
    private StripeFake _stripe = null!;

    public async Task InitializeAsync()
    {
        // The in-test server only seeds the store; it delivers nothing itself.
        _seeded = await TestServer.StartAsync(StoreKind.Postgres, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false", ["Webhooks:AllowPrivateTargets"] = "true" });
        _receiver = await WebhookReceiver.StartNewAsync();
        _stripe = await StripeFake.StartNewAsync();
        using var admin = _seeded.AdminClient();
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{_seeded.DemoOne.PlatformParentAccountId}/webhook", new { url = _receiver.Url });
        _receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _seeded.DisposeAsync();
        await _receiver.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    private Task<ServerProcess> StartProcessAsync(int leaseSeconds = 3) => ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_seeded, new Dictionary<string, string>
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Outbox:PollMilliseconds"] = "50",
        ["Outbox:BaseDelayMilliseconds"] = "100",
        ["Outbox:LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Stripe:SecretKey"] = "sk_test_partnerships",
        ["Stripe:BaseUrl"] = _stripe.BaseAddress.ToString().TrimEnd('/'),
        ["Stripe:TimeoutSeconds"] = "2",
    }));

    [Fact]
    public async Task Webhooks_in_flight_when_the_server_is_killed_arrive_after_it_starts_again()
    {
        _receiver.Delay = TimeSpan.FromSeconds(2);
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        var first = await StartProcessAsync();
        string accountId;
        using (var client = first.Client(token))
        {
            accountId = await client.RegisterAsync(_seeded.DemoOne.PlatformParentAccountId);
            await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
            await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "active" }, Http.NewKey());
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_receiver.Attempts == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(_receiver.Attempts > 0, "no delivery started");
        first.Kill(); // mid-delivery: the receiver is still holding the first request
        await first.DisposeAsync();
        Assert.True(_receiver.Received.Count < 3);

        _receiver.Delay = TimeSpan.Zero;
        await using var second = await StartProcessAsync();
        var received = await _receiver.WaitForAsync(r => r.Select(x => x.Json.GetProperty("id").GetString()).Distinct().Count() >= 3, 60);
        Assert.All(received, r => Assert.True(r.SignatureValid));
        Assert.Equal(["account.registered", "account.status.updated"], received.Select(r => r.Type).Distinct().Order());
        Assert.All(received, r => Assert.Equal(accountId, r.Json.GetProperty("account_id").GetString()));
    }

    [Fact]
    public async Task Two_processes_deliver_a_burst_of_a_thousand_without_duplicate_concurrent_delivery_or_leftovers()
    {
        var now = Database.Timestamp(DateTimeOffset.UtcNow);
        await using (var connection = await _seeded.Database.OpenAsync())
        {
            var rows = Enumerable.Range(0, 1000).Select(i => new
            {
                MessageId = $"msg_burst_{i:0000}_{Guid.NewGuid():N}", Payload = $$$"""{"id":"evt_burst_{{{i}}}","type":"account.status.updated","account_id":"burst","data":{"n":{{{i}}}}}""",
                PlatformId = _seeded.DemoOne.PlatformParentAccountId, Now = now,
            });
            await connection.ExecuteAsync(
                """
                INSERT INTO outbox_messages (message_id, channel, topic, platform_id, payload, status, attempts, next_attempt_at, created_at)
                VALUES (@MessageId, 'webhook', 'account.status.updated', @PlatformId, @Payload, 'pending', 0, @Now, @Now)
                """, rows);
        }
        _receiver.Delay = TimeSpan.FromMilliseconds(2);
        await using var a = await StartProcessAsync(leaseSeconds: 120);
        await using var b = await StartProcessAsync(leaseSeconds: 120);
        await _receiver.WaitForAsync(r => r.Count >= 1000, 120);
        await Task.Delay(300);
        Assert.Equal(0, _receiver.ConcurrentDuplicates);
        Assert.Equal(1000, _receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(_receiver.Received, r => Assert.True(r.SignatureValid));
        Assert.Equal(0, await StoreSnapshot.CountAsync(_seeded.Database, "outbox_messages", "status <> 'delivered'"));
    }

    [Fact]
    public async Task A_crash_between_Stripes_answer_and_our_commit_still_yields_one_Stripe_account()
    {
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        var key = Http.NewKey();
        var body = new { return_url = "https://platform.example.com/done", refresh_url = "https://platform.example.com/retry" };
        string accountId;
        var first = await StartProcessAsync();
        using (var client = first.Client(token))
        {
            accountId = await client.RegisterAsync(_seeded.DemoOne.PlatformParentAccountId);
            _stripe.LinkDelay = TimeSpan.FromSeconds(30);
            _ = client.PostJsonAsync($"/v1/partnership/accounts/{accountId}/payout-setup", body, key);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (_stripe.AccountsCreated == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(1, _stripe.AccountsCreated);
            first.Kill(); // Stripe has created the account; our transaction never commits
        }
        await first.DisposeAsync();
        _stripe.LinkDelay = TimeSpan.Zero;

        await using var second = await StartProcessAsync();
        using var retryClient = second.Client(token);
        Reply retry;
        var retryUntil = DateTime.UtcNow.AddSeconds(40);
        // 409 (in flight) until the killed attempt's lease runs out; then the retry resumes it, or replays the recoverer's result.
        while ((retry = await retryClient.PostJsonAsync($"/v1/partnership/accounts/{accountId}/payout-setup", body, key)).Status == 409
            && DateTime.UtcNow < retryUntil)
        {
            await Task.Delay(500);
        }
        Assert.Equal(201, retry.Status);
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.All(_stripe.Calls, c => Assert.Contains(key, c.IdempotencyKey));
        Assert.Equal(1, await StoreSnapshot.CountAsync(_seeded.Database, "payout_setups", "account_id = @accountId", new { accountId }));
    }
}
