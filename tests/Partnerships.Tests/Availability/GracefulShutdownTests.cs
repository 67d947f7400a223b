using Dapper;
using Partnerships.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Partnerships.Tests.Availability;

/// <summary>
/// SIGTERM to a server process under write load: /readyz turns 503 first, requests in flight finish with whole answers,
/// then connections are refused; every acknowledged write is stored, outbox claims are handed back, and the exit code is 0.
/// </summary>
public abstract class GracefulShutdownTests(StoreKind kind, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 8;
    private TestServer _seeded = null!;
    private WebhookReceiver _receiver = null!;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "partnerships-shutdown-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        // The in-test server only prepares the store and reads it afterwards; the process under test does the work.
        _seeded = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false", ["Webhooks:AllowPrivateTargets"] = "true" });
        _receiver = await WebhookReceiver.StartNewAsync();
        using var admin = _seeded.AdminClient();
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{_seeded.DemoOne.PlatformParentAccountId}/webhook", new { url = _receiver.Url });
        _receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _seeded.DisposeAsync();
        await _receiver.DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task SIGTERM_under_write_load_reports_not_ready_finishes_what_is_in_flight_releases_outbox_claims_and_exits_0()
    {
        await using var process = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_seeded, new Dictionary<string, string>
        {
            ["Store:DataDirectory"] = _dataDirectory,
            ["Http:ShutdownDrainSeconds"] = "1",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:TimeoutSeconds"] = "120",
            ["Outbox:PollMilliseconds"] = "50",
            // Far longer than the test: a claim that is gone afterwards was released, not expired.
            ["Outbox:LeaseSeconds"] = "600",
            ["Logging:LogLevel:Partnerships.Delivery"] = "Information",
        }));
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        var clients = Enumerable.Range(0, Clients).Select(_ => process.Client(token)).ToList();
        var accounts = new List<string>();
        // Each registration enqueues a webhook; the receiver holds them, so the process has deliveries claimed and in flight.
        _receiver.Delay = TimeSpan.FromSeconds(15);
        foreach (var client in clients) accounts.Add(await client.RegisterAsync(_seeded.DemoOne.PlatformParentAccountId));
        var claimedBefore = 0L;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); claimedBefore == 0 && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            claimedBefore = await StoreSnapshot.CountAsync(_seeded.Database, "outbox_messages", "locked_by IS NOT NULL AND status = 'pending'");
        }
        Assert.True(claimedBefore > 0, "the process claimed no outbox message");

        var load = new WriteLoad();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = Enumerable.Range(0, Clients)
            .Select(i => Task.Run(() => load.RunClientAsync(i, clients[i], accounts[i], giveUp.Token, untilRefused: true))).ToList();
        var readiness = new List<(TimeSpan At, int Status, bool Refused)>();
        var prober = Task.Run(async () =>
        {
            using var probe = process.Client();
            while (!giveUp.IsCancellationRequested)
            {
                try
                {
                    using var response = await probe.GetAsync("/readyz");
                    readiness.Add((load.Now, (int)response.StatusCode, false));
                }
                catch (HttpRequestException)
                {
                    readiness.Add((load.Now, 0, true));
                    return;
                }
                await Task.Delay(20);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        var terminatedAt = load.Now;
        process.Terminate();
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var exitedAt = load.Now;
        await Task.WhenAll(running.Append(prober));
        _receiver.Delay = TimeSpan.Zero;

        var attempts = load.Attempts;
        var acknowledged = attempts.Where(a => a.Kind == "PUT" && a.Status is >= 200 and < 300).ToList();
        var firstRefused = attempts.Where(a => a.Ending == Ending.Refused).Min(a => (TimeSpan?)a.StartedAt);
        var firstNotReady = readiness.Where(r => r.Status == 503).Min(r => (TimeSpan?)r.At);
        long lost;
        var lastStored = new List<(string Expected, string? Stored)>();
        await using (var connection = await _seeded.Database.OpenAsync())
        {
            var keys = (await connection.QueryAsync<string>("SELECT idem_key FROM idempotency_keys")).ToHashSet();
            lost = acknowledged.Count(a => !keys.Contains(a.Key!));
            for (var i = 0; i < Clients; i++)
            {
                var stored = await connection.ExecuteScalarAsync<string?>("SELECT name FROM marketplace_controls WHERE account_id = @id", new { id = accounts[i] });
                lastStored.Add((acknowledged.Where(a => a.Client == i).MaxBy(a => a.StartedAt)?.Name ?? "Acme Outdoor", stored));
            }
        }
        var claimedAfter = await StoreSnapshot.CountAsync(_seeded.Database, "outbox_messages", "locked_by IS NOT NULL");

        output.WriteLine($"{kind}: SIGTERM at {terminatedAt.TotalSeconds:0.00} s, /readyz 503 from {firstNotReady?.TotalSeconds:0.00} s, " +
                         $"first refused connection {firstRefused?.TotalSeconds:0.00} s, exit {exitCode} at {exitedAt.TotalSeconds:0.00} s");
        output.WriteLine($"requests: {WriteLoad.Tally(attempts)}; after SIGTERM: {WriteLoad.Tally(attempts.Where(a => a.EndedAt > terminatedAt))}");
        output.WriteLine($"acknowledged writes {acknowledged.Count}, lost {lost}; outbox claims before SIGTERM {claimedBefore}, after exit {claimedAfter}");
        foreach (var odd in attempts.Where(a => a.Ending is Ending.CutOff or Ending.Unanswered).Take(5)) output.WriteLine($"  {odd}");

        Assert.Equal(0, exitCode);
        // Never a response broken off once it began. A connection the closing listener had not yet accepted is reset
        // before any answer (like a refusal): that can only happen once the service stopped being ready.
        Assert.DoesNotContain(attempts, a => a.Ending == Ending.CutOff);
        Assert.All(attempts.Where(a => a.Ending == Ending.Unanswered), a => Assert.True(a.EndedAt > firstNotReady, $"{a}"));
        Assert.All(attempts.Where(a => a.Ending == Ending.Answered), a => Assert.Equal(200, a.Status));
        Assert.Contains(attempts, a => a.Ending == Ending.Answered && a.EndedAt > terminatedAt); // served while stopping
        Assert.All(running, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(200, readiness[0].Status);
        Assert.NotNull(firstRefused);
        Assert.True(firstNotReady > terminatedAt && firstNotReady < firstRefused, "readiness did not turn 503 before the listener closed");
        Assert.Equal(0, lost);
        Assert.All(lastStored, s => Assert.Equal(s.Expected, s.Stored));
        Assert.Equal(0, claimedAfter);
        foreach (var client in clients) client.Dispose();
    }
}

public sealed class SqliteGracefulShutdownTests(ITestOutputHelper output) : GracefulShutdownTests(StoreKind.Sqlite, output);
public sealed class PostgresGracefulShutdownTests(ITestOutputHelper output) : GracefulShutdownTests(StoreKind.Postgres, output);
