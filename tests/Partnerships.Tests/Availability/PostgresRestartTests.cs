using Dapper;
using Partnerships.Testing;
using Partnerships.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Partnerships.Tests.Availability;

/// <summary>
/// PostgreSQL stopped (as in a crash) and started again under load, on a cluster of its own: the service answers 503 with
/// Retry-After while the database is away, never hangs, comes back by itself, and loses no acknowledged write.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private PostgresCluster _cluster = null!;
    private TestServer _server = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        // Commits wait for their WAL write, so an immediate stop cannot take back an acknowledged one.
        _cluster = await PostgresCluster.StartAsync(synchronousCommit: true);
        _server = await TestServer.StartAsync(StoreKind.Postgres, new Dictionary<string, string?>
        {
            ["Http:RequestTimeoutSeconds"] = "10",
            ["Store:CommandTimeoutSeconds"] = "10",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Outbox:PollMilliseconds"] = "50",
            ["Outbox:BaseDelayMilliseconds"] = "100",
            // One line per refused request is expected here; keep the test output readable.
            ["Logging:LogLevel:Partnerships.Errors"] = "Error",
            ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Critical",
            ["Logging:LogLevel:Partnerships.Delivery"] = "Critical",
        }, connectionString: await _cluster.CreateDatabaseAsync());
        _receiver = await WebhookReceiver.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task PostgreSQL_stopped_and_restarted_under_load_gives_503s_with_Retry_After_then_recovers_without_losing_an_acknowledged_write()
    {
        using var admin = _server.AdminClient();
        var platform = _server.DemoOne.PlatformParentAccountId;
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{platform}/webhook", new { url = _receiver.Url });
        _receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
        var token = await _server.TokenAsync(_server.DemoOne.ClientId, _server.DemoOne.ClientSecret);
        var clients = Enumerable.Range(0, Clients).Select(_ => _server.Client(token)).ToList();
        var accounts = new List<string>();
        foreach (var client in clients) accounts.Add(await client.RegisterAsync(platform));

        var load = new WriteLoad();
        using var stop = new CancellationTokenSource();
        var running = Enumerable.Range(0, Clients).Select(i => Task.Run(() => load.RunClientAsync(i, clients[i], accounts[i], stop.Token))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5));
        var outageStart = load.Now;
        await _cluster.StopAsync();
        // The other surfaces that read the store on the way in: the token endpoint, the admin key check, a fresh bearer token.
        using var anonymous = _server.Client();
        var probes = new List<(string What, Reply Reply)>
        {
            ("token endpoint", await Http.ReadAsync(await anonymous.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = _server.DemoOne.ClientId, ["client_secret"] = _server.DemoOne.ClientSecret,
            })))),
            ("admin key check", await admin.GetJsonAsync("/admin/v1/platforms")),
            ("bearer token check", await clients[0].GetJsonAsync($"/v1/partnership/accounts/{accounts[0]}")),
        };
        await Task.Delay(TimeSpan.FromSeconds(4));
        await _cluster.RestartAsync();
        var outageEnd = load.Now;
        await Task.Delay(TimeSpan.FromSeconds(8));
        await stop.CancelAsync();
        await Task.WhenAll(running);

        var attempts = load.Attempts;
        var during = attempts.Where(a => a.EndedAt >= outageStart && a.StartedAt <= outageEnd).ToList();
        var firstBack = attempts.Where(a => a.StartedAt >= outageEnd && a.Status is >= 200 and < 300).Min(a => (TimeSpan?)a.StartedAt);
        var recovery = firstBack is { } back ? back - outageEnd : (TimeSpan?)null;
        var acknowledged = attempts.Where(a => a.Kind == "PUT" && a.Status is >= 200 and < 300).ToList();

        // Every acknowledged PUT left its idempotency record, and each client's last acknowledged name is what is stored.
        long lost;
        var lastStored = new List<(string Expected, string? Stored)>();
        await using (var connection = await _server.Database.OpenAsync())
        {
            var keys = (await connection.QueryAsync<string>("SELECT idem_key FROM idempotency_keys WHERE platform_id = @platform", new { platform })).ToHashSet();
            lost = acknowledged.Count(a => !keys.Contains(a.Key!));
            for (var i = 0; i < Clients; i++)
            {
                var stored = await connection.ExecuteScalarAsync<string?>("SELECT name FROM marketplace_controls WHERE account_id = @id", new { id = accounts[i] });
                lastStored.Add((acknowledged.Where(a => a.Client == i).MaxBy(a => a.StartedAt)!.Name!, stored));
            }
        }

        output.WriteLine($"PostgreSQL restart under load: {Clients} clients, {attempts.Count} requests in {load.Now.TotalSeconds:0.0} s; " +
                         $"outage {outageStart.TotalSeconds:0.0}-{outageEnd.TotalSeconds:0.0} s");
        output.WriteLine($"requests during the outage by status: {WriteLoad.Tally(during)}");
        output.WriteLine($"all requests by status: {WriteLoad.Tally(attempts)}; slowest {attempts.Max(a => a.Took).TotalMilliseconds:0} ms");
        output.WriteLine($"first 2xx {recovery?.TotalMilliseconds:0} ms after the database was back; acknowledged writes {acknowledged.Count}, lost {lost}");
        foreach (var (what, reply) in probes) output.WriteLine($"during the outage, {what}: {reply.Status} {reply.Error} Retry-After={reply.Header("Retry-After")}");

        Assert.All(attempts, a => Assert.Equal(Ending.Answered, a.Ending));
        Assert.All(attempts, a => Assert.True(a.Status is 200 || (a.Status == 503 && a.RetryAfter && a.Error == "ServiceUnavailable"), $"{a}"));
        Assert.Contains(during, a => a.Status == 503);
        Assert.All(attempts, a => Assert.True(a.Took < RequestTimeout + TimeSpan.FromSeconds(2), $"{a}"));
        Assert.All(probes, p =>
        {
            Assert.Equal(503, p.Reply.Status);
            Assert.Equal("ServiceUnavailable", p.Reply.Error);
            Assert.NotNull(p.Reply.Header("Retry-After"));
        });
        Assert.True(recovery < TimeSpan.FromSeconds(5), $"recovered after {recovery}");
        Assert.All(attempts.Where(a => a.StartedAt >= outageEnd + TimeSpan.FromSeconds(5)), a => Assert.Equal(200, a.Status));
        Assert.Equal(0, lost);
        Assert.All(lastStored, s => Assert.Equal(s.Expected, s.Stored));

        // The outbox resumed: a change made after the restart is delivered.
        var status = await clients[0].PutJsonAsync($"/v1/partnership/accounts/{accounts[0]}/status", new { status = "paused" }, Http.NewKey());
        Assert.Equal(200, status.Status);
        var delivered = await _receiver.WaitForAsync(r => r.Any(w => w.Type == "account.status.updated"), 30);
        Assert.All(delivered, w => Assert.True(w.SignatureValid));
        foreach (var client in clients) client.Dispose();
    }
}
