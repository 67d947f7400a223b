using System.Diagnostics;
using System.Globalization;
using Dapper;
using Partnerships.Storage;
using Partnerships.Storage.Stores;
using Partnerships.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Partnerships.Tests.Api;

/// <summary>
/// Payout setup in atomic phases against the Stripe fake: a slow provider holds no database lock, provider failures are
/// 502/503/504 that the same key retries, the key stays bound to what the provider saw, and crashes between the phases are
/// resumed by a retry or by the recoverer, always with one connected account.
/// </summary>
public abstract class PayoutPhasesTests(StoreKind kind, ITestOutputHelper output) : IAsyncLifetime
{
    private StripeFake _stripe = null!;
    private static readonly object Body = new { return_url = "https://platform.example.com/done", refresh_url = "https://platform.example.com/retry" };
    private static string PayoutPath(string accountId) => $"/v1/partnership/accounts/{accountId}/payout-setup";

    public async Task InitializeAsync() => _stripe = await StripeFake.StartNewAsync();
    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    private Dictionary<string, string?> Settings(double timeoutSeconds = 10, bool recoverer = false, string? baseUrl = null) => new()
    {
        ["Stripe:SecretKey"] = "sk_test_partnerships",
        ["Stripe:BaseUrl"] = baseUrl ?? _stripe.BaseAddress.ToString().TrimEnd('/'),
        ["Stripe:TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
        ["Payouts:Recoverer"] = recoverer ? "true" : "false",
        ["Payouts:RecoveryPollMilliseconds"] = "100",
        ["Payouts:RetryBaseDelayMilliseconds"] = "100",
    };

    private static Task<long> CountAsync(TestServer server, string table, string accountId) =>
        StoreSnapshot.CountAsync(server.Database, table, "account_id = @accountId", new { accountId });

    [Fact]
    public async Task While_the_provider_holds_one_platforms_payout_setup_open_another_platforms_writes_and_reads_all_finish_first()
    {
        await using var server = await TestServer.StartAsync(kind, Settings(timeoutSeconds: 120));
        using var a = await server.DemoClientAsync();
        using var b = server.Client(await server.TokenAsync(server.DemoMcc.ClientId, server.DemoMcc.ClientSecret));
        var accountA = await a.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var accountB = await IdempotencyTests.RegisterMccAsync(b, server.DemoMcc.PlatformParentAccountId);
        await EditAndReadAsync(b, accountB, 10); // warm-up
        var without = await EditAndReadAsync(b, accountB, 50);

        _stripe.Hold("accounts");
        var payout = a.PostJsonAsync(PayoutPath(accountA), Body, Http.NewKey());
        await _stripe.WaitUntilAsync(f => f.Held == 1);
        var during = await EditAndReadAsync(b, accountB, 50);
        // The order, not a duration: every one of B's requests has its answer while A's provider call is still open.
        var aStillOpen = _stripe.Held == 1 && !payout.IsCompleted;
        _stripe.Release();
        var reply = await payout;

        Assert.True(aStillOpen, "platform A's payout setup finished before platform B's requests");
        Assert.Equal(201, reply.Status);
        Assert.Equal(1, _stripe.AccountsCreated);
        var report = $"[{kind}] platform B MCL PUT+GET p99: {P99(without):0.0} ms without the hang, {P99(during):0.0} ms while platform A's provider call hangs ({during.Count} requests each)";
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    /// <summary>Alternating GET and If-Match-guarded PUT of the MCL; every answer must be 200. Returns each request's latency.</summary>
    private static async Task<List<double>> EditAndReadAsync(HttpClient client, string accountId, int rounds)
    {
        var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
        var latencies = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            var current = await client.GetJsonAsync(path);
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(200, current.Status);
            var code = ConcurrentEdits.Codes[i % 2];
            watch.Restart();
            var put = await client.PutJsonAsync(path, new
            {
                name = "during payout", domains = Array.Empty<object>(), contentHash = current.Data.GetProperty("contentHash").GetString(),
                blockedVerticals = new[] { new { partnerVerticalId = code / 100 * 100, partnerSubVerticalId = code, policy = "Block" } },
            }, Http.NewKey());
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(200, put.Status);
        }
        return latencies;
    }

    private static double P99(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * 0.99) - 1)];
    }

    [Fact]
    public async Task A_provider_error_is_502_saying_the_key_may_be_retried_and_the_same_key_then_creates_one_account()
    {
        await using var server = await TestServer.StartAsync(kind, Settings());
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        _stripe.FailWith = 500;
        _stripe.FailuresLeft = 1;

        var failed = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(502, failed.Status);
        Assert.Equal("BadGateway", failed.Error);
        Assert.Contains("same Idempotency-Key", failed.Json.GetProperty("message").GetString());
        Assert.Contains("Idempotency-Key", failed.DetailFields);
        Assert.Equal(0, await CountAsync(server, "payout_setups", accountId));
        var operationId = failed.Header("X-Operation-Id");
        Assert.NotNull(operationId);
        Assert.Equal("in_progress", (await client.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Data.GetProperty("status").GetString());

        var retry = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(201, retry.Status);
        Assert.Equal(operationId, retry.Header("X-Operation-Id"));
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.Equal(1, await CountAsync(server, "payout_setups", accountId));
        Assert.Equal(0, await CountAsync(server, "staged_operations", accountId));
        Assert.Equal("completed", (await client.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Data.GetProperty("status").GetString());
        Assert.All(_stripe.Calls, c => Assert.StartsWith($"{accountId}:{key}:", c.IdempotencyKey));
    }

    [Fact]
    public async Task A_provider_refusal_is_a_final_502_that_asks_for_a_fix_not_a_retry_and_leaves_nothing_behind()
    {
        await using var server = await TestServer.StartAsync(kind, Settings());
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        _stripe.FailWith = 400;
        _stripe.FailuresLeft = 1;

        var refused = await client.PostJsonAsync(PayoutPath(accountId), Body, Http.NewKey());
        Assert.Equal(502, refused.Status);
        Assert.Equal("BadGateway", refused.Error);
        var message = refused.Json.GetProperty("message").GetString()!;
        Assert.Contains("new Idempotency-Key", message);
        // Machine-readable too: a client must not retry this 502 with the same key.
        Assert.Equal("provider_refused", refused.Json.GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.DoesNotContain("fake", message); // the provider's own text stays in the log
        Assert.Null(refused.Header("Retry-After"));
        Assert.Equal(0, await CountAsync(server, "payout_setups", accountId));
        Assert.Equal(0, await CountAsync(server, "staged_operations", accountId));
        var operation = (await client.GetJsonAsync($"/v1/partnership/operations/{refused.Header("X-Operation-Id")}")).Data;
        Assert.Equal("failed", operation.GetProperty("status").GetString());

        var fixedUp = await client.PostJsonAsync(PayoutPath(accountId), Body, Http.NewKey());
        Assert.Equal(201, fixedUp.Status);
        Assert.Equal(1, _stripe.AccountsCreated);
    }

    [Fact]
    public async Task A_provider_time_out_is_504_and_the_same_key_then_gets_the_account_the_provider_made_after_the_time_out()
    {
        await using var server = await TestServer.StartAsync(kind, Settings(timeoutSeconds: 1));
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        _stripe.AccountDelay = TimeSpan.FromSeconds(3);

        var timedOut = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(504, timedOut.Status);
        Assert.Equal("GatewayTimeout", timedOut.Error);
        Assert.Contains("same Idempotency-Key", timedOut.Json.GetProperty("message").GetString());
        Assert.Equal(0, await CountAsync(server, "payout_setups", accountId));
        await _stripe.WaitUntilAsync(f => f.AccountsCreated == 1); // the provider acted after we stopped waiting

        _stripe.AccountDelay = TimeSpan.Zero;
        var retry = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(201, retry.Status);
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.Equal(1, await CountAsync(server, "payout_setups", accountId));
    }

    [Fact]
    public async Task An_unreachable_provider_is_503_and_the_same_key_succeeds_once_it_is_back()
    {
        var port = Partnerships.Testing.FreePort.Next();
        await using var server = await TestServer.StartAsync(kind, Settings(baseUrl: $"http://127.0.0.1:{port}"));
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();

        var down = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(503, down.Status);
        Assert.Equal("ServiceUnavailable", down.Error);
        Assert.Contains("same Idempotency-Key", down.Json.GetProperty("message").GetString());
        Assert.NotNull(down.Header("Retry-After"));
        Assert.Equal(0, await CountAsync(server, "payout_setups", accountId));

        await using var back = await StripeFake.StartNewAsync(port);
        var retry = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(201, retry.Status);
        Assert.Equal(1, back.AccountsCreated);
        Assert.Equal(1, await CountAsync(server, "payout_setups", accountId));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_once_the_provider_has_seen_it_and_changes_nothing()
    {
        await using var server = await TestServer.StartAsync(kind, Settings());
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        _stripe.FailWith = 500;
        _stripe.FailuresLeft = 1;
        Assert.Equal(502, (await client.PostJsonAsync(PayoutPath(accountId), Body, key)).Status);

        string[] tables = [.. StoreSnapshot.StateTables, "payout_setups", "staged_operations", "idempotency_keys", "events"];
        var before = await StoreSnapshot.TakeAsync(server.Database, tables);
        var other = new { return_url = "https://platform.example.com/elsewhere", refresh_url = "https://platform.example.com/retry" };
        var reused = await client.PostJsonAsync(PayoutPath(accountId), other, key);
        Assert.Equal(422, reused.Status);
        Assert.Contains("Idempotency-Key", reused.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, tables));
        Assert.Single(_stripe.Calls); // the failed first call only

        Assert.Equal(201, (await client.PostJsonAsync(PayoutPath(accountId), Body, key)).Status);
        Assert.Equal(422, (await client.PostJsonAsync(PayoutPath(accountId), other, key)).Status);
        Assert.Equal(1, _stripe.AccountsCreated);
    }

    [Fact]
    public async Task A_retry_while_the_first_call_is_in_flight_is_409_naming_the_key_and_a_second_key_cannot_start_a_second_account()
    {
        await using var server = await TestServer.StartAsync(kind, Settings(timeoutSeconds: 60));
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        _stripe.Hold("accounts");
        var first = client.PostJsonAsync(PayoutPath(accountId), Body, key);
        await _stripe.WaitUntilAsync(f => f.Held == 1);

        var again = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(409, again.Status);
        Assert.Equal("Conflict", again.Error);
        var issue = again.Json.GetProperty("details").EnumerateArray().Single();
        Assert.Equal("Idempotency-Key", issue.GetProperty("field").GetString());
        Assert.Contains("in flight", issue.GetProperty("issue").GetString());
        Assert.NotNull(again.Header("Retry-After"));

        var otherKey = await client.PostJsonAsync(PayoutPath(accountId), Body, Http.NewKey());
        Assert.Equal(409, otherKey.Status);
        Assert.Contains("Idempotency-Key", otherKey.DetailFields);
        Assert.Single(_stripe.Calls);

        _stripe.Release();
        var done = await first;
        Assert.Equal(201, done.Status);
        var replay = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(201, replay.Status);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(done.Body, replay.Body);
        Assert.Equal(1, _stripe.AccountsCreated);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_reach_the_provider_once_and_all_but_one_are_told_it_is_in_flight()
    {
        await using var server = await TestServer.StartAsync(kind, Settings(timeoutSeconds: 60));
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        _stripe.Hold("accounts");
        var replies = Enumerable.Range(0, 8).Select(_ => client.PostJsonAsync(PayoutPath(accountId), Body, key)).ToList();
        await _stripe.WaitUntilAsync(f => f.Held == 1);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (replies.Count(r => r.IsCompleted) < 7 && DateTime.UtcNow < deadline) await Task.Delay(20);
        _stripe.Release();
        var statuses = (await Task.WhenAll(replies)).Select(r => r.Status).Order().ToList();
        Assert.Equal([201, 409, 409, 409, 409, 409, 409, 409], statuses);
        Assert.Single(_stripe.Calls, c => c.Path == "accounts");
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.Equal(1, await CountAsync(server, "payout_setups", accountId));
    }

    [Fact]
    public async Task Dry_run_payout_setup_is_refused_only_after_the_tenancy_checks_and_never_reaches_the_provider()
    {
        await using var server = await TestServer.StartAsync(kind, Settings());
        using var one = await server.DemoClientAsync();
        using var mcc = server.Client(await server.TokenAsync(server.DemoMcc.ClientId, server.DemoMcc.ClientSecret));
        var accountId = await one.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        string[] tables = [.. StoreSnapshot.StateTables, "payout_setups", "staged_operations", "idempotency_keys", "operations", "events"];
        var before = await StoreSnapshot.TakeAsync(server.Database, tables);

        Assert.Equal(403, (await mcc.PostJsonAsync(PayoutPath(accountId) + "?dry_run=true", Body, Http.NewKey())).Status);
        Assert.Equal(404, (await one.PostJsonAsync(PayoutPath(Guid.NewGuid().ToString()) + "?dry_run=true", Body, Http.NewKey())).Status);
        var own = await one.PostJsonAsync(PayoutPath(accountId) + "?dry_run=true", Body, Http.NewKey());
        Assert.Equal(400, own.Status);
        Assert.Contains("dry_run", own.DetailFields);
        Assert.Null(own.Header("X-Operation-Id"));

        Assert.Empty(_stripe.Calls);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, tables));
    }

    [Fact]
    public async Task The_recoverer_keeps_asking_a_failing_provider_with_the_same_key_and_finishes_without_a_client_retry()
    {
        await using var server = await TestServer.StartAsync(kind, Settings(recoverer: true));
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        _stripe.FailWith = 503;
        _stripe.FailuresLeft = 3;
        var failed = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(502, failed.Status);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync(server, "payout_setups", accountId) == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(1, await CountAsync(server, "payout_setups", accountId));
        Assert.Equal(1, _stripe.AccountsCreated);
        var accountCalls = _stripe.Calls.Where(c => c.Path == "accounts").ToList();
        Assert.Equal(4, accountCalls.Count);
        Assert.Single(accountCalls.Select(c => c.IdempotencyKey).Distinct());
        var operation = await client.GetJsonAsync($"/v1/partnership/operations/{failed.Header("X-Operation-Id")}");
        Assert.Equal("completed", operation.Data.GetProperty("status").GetString());
        var replay = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(201, replay.Status);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_crash_after_the_provider_answered_and_before_the_result_was_recorded_is_resumed_by_a_same_key_retry_with_one_account()
    {
        var (seeded, token, accountId, key, operationId) = await CrashBetweenCallAndRecordAsync();
        await using var _ = seeded;
        await using var second = await ServerProcess.StartAsync(ProcessSettings(seeded, recoverer: false));
        using var client = second.Client(token);
        Reply retry;
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while ((retry = await client.PostJsonAsync(PayoutPath(accountId), Body, key)).Status == 409 && DateTime.UtcNow < deadline)
        {
            // The crashed attempt's lease has not run out yet: the answer says so, in a form a client can act on.
            Assert.Contains("Idempotency-Key", retry.DetailFields);
            await Task.Delay(500);
        }
        Assert.Equal(201, retry.Status);
        Assert.Equal(operationId, retry.Header("X-Operation-Id"));
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.All(_stripe.Calls, c => Assert.StartsWith($"{accountId}:{key}:", c.IdempotencyKey));
        Assert.Equal(1, await CountAsync(seeded, "payout_setups", accountId));
        Assert.Equal(0, await CountAsync(seeded, "staged_operations", accountId));
    }

    [Fact]
    public async Task The_recoverer_finishes_an_operation_stranded_by_a_crash_without_any_client_retry()
    {
        var (seeded, token, accountId, key, operationId) = await CrashBetweenCallAndRecordAsync();
        await using var _ = seeded;
        await using var second = await ServerProcess.StartAsync(ProcessSettings(seeded, recoverer: true));
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (await CountAsync(seeded, "payout_setups", accountId) == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(1, await CountAsync(seeded, "payout_setups", accountId));
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.Equal(0, await CountAsync(seeded, "staged_operations", accountId));
        Assert.Equal(1, await StoreSnapshot.CountAsync(seeded.Database, "events", "operation_id = @operationId AND type = 'payout_setup.created'", new { operationId }));

        using var client = second.Client(token);
        Assert.Equal("completed", (await client.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Data.GetProperty("status").GetString());
        var replay = await client.PostJsonAsync(PayoutPath(accountId), Body, key);
        Assert.Equal(201, replay.Status);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(1, _stripe.AccountsCreated);
    }

    /// <summary>
    /// Starts a payout setup in a server process, lets the provider answer both calls while the test holds the lock that
    /// the recording transaction needs, and kills the process there: the provider has acted, nothing is recorded.
    /// </summary>
    private async Task<(TestServer Seeded, string Token, string AccountId, string Key, string OperationId)> CrashBetweenCallAndRecordAsync()
    {
        var seeded = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false", ["Payouts:Recoverer"] = "false" });
        var token = await seeded.TokenAsync(seeded.DemoOne.ClientId, seeded.DemoOne.ClientSecret);
        var key = Http.NewKey();
        string accountId;
        var first = await ServerProcess.StartAsync(ProcessSettings(seeded, recoverer: false));
        using (var client = first.Client(token))
        {
            accountId = await client.RegisterAsync(seeded.DemoOne.PlatformParentAccountId);
            _stripe.Hold("account_links");
            _ = client.PostJsonAsync(PayoutPath(accountId), Body, key);
            await _stripe.WaitUntilAsync(f => f.Held == 1);
            await using (var blocker = await DbSession.WriteAsync(seeded.Database))
            {
                await AccountStore.LockAsync(blocker, accountId);
                _stripe.Release();
                await _stripe.WaitUntilAsync(f => f.LinksAnswered == 1);
                await Task.Delay(300); // the process is now waiting for the lock to record the answer
                first.Kill();
                await first.DisposeAsync();
            }
        }
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.Equal(0, await CountAsync(seeded, "payout_setups", accountId));
        await using var connection = await seeded.Database.OpenAsync();
        var operationId = await connection.ExecuteScalarAsync<string>("SELECT operation_id FROM staged_operations WHERE account_id = @accountId", new { accountId });
        Assert.NotNull(operationId);
        return (seeded, token, accountId, key, operationId);
    }

    private Dictionary<string, string> ProcessSettings(TestServer seeded, bool recoverer) => new()
    {
        ["Store:Provider"] = kind == StoreKind.Sqlite ? "sqlite" : "postgres",
        ["Store:ConnectionString"] = seeded.ConnectionString,
        ["Store:DataDirectory"] = Path.Combine(Path.GetTempPath(), "partnerships-test-data"),
        ["Store:AutoMigrate"] = "false",
        ["Demo:Seed"] = "false",
        ["Auth:SigningKey"] = seeded.SigningKey,
        ["Secrets:EncryptionKey"] = seeded.SecretKey,
        ["Stripe:SecretKey"] = "sk_test_partnerships",
        ["Stripe:BaseUrl"] = _stripe.BaseAddress.ToString().TrimEnd('/'),
        ["Stripe:TimeoutSeconds"] = "4",
        ["Payouts:Recoverer"] = recoverer ? "true" : "false",
        ["Payouts:RecoveryPollMilliseconds"] = "200",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}

public sealed class SqlitePayoutPhasesTests(ITestOutputHelper output) : PayoutPhasesTests(StoreKind.Sqlite, output);

public sealed class PostgresPayoutPhasesTests(ITestOutputHelper output) : PayoutPhasesTests(StoreKind.Postgres, output);

/// <summary>Webhook delivery holds no transaction while it waits on the receiver: writes go on while a delivery hangs.</summary>
public abstract class SlowWebhookTests(StoreKind kind) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartNewAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task While_a_webhook_delivery_hangs_the_same_platforms_writes_and_reads_all_finish()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true", ["Webhooks:TimeoutSeconds"] = "120", ["Outbox:PollMilliseconds"] = "50",
        });
        using (var admin = server.AdminClient())
        {
            var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{server.DemoMcc.PlatformParentAccountId}/webhook", new { url = _receiver.Url });
            _receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
        }
        _receiver.Delay = TimeSpan.FromSeconds(60);
        using var client = server.Client(await server.TokenAsync(server.DemoMcc.ClientId, server.DemoMcc.ClientSecret));
        var accountId = await IdempotencyTests.RegisterMccAsync(client, server.DemoMcc.PlatformParentAccountId);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_receiver.Attempts == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(_receiver.Attempts > 0, "no delivery started");

        var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
        for (var i = 0; i < 20; i++)
        {
            var current = await client.GetJsonAsync(path);
            Assert.Equal(200, current.Status);
            var code = ConcurrentEdits.Codes[i % 2];
            var put = await client.PutJsonAsync(path, new
            {
                name = "during delivery", domains = Array.Empty<object>(), contentHash = current.Data.GetProperty("contentHash").GetString(),
                blockedVerticals = new[] { new { partnerVerticalId = code / 100 * 100, partnerSubVerticalId = code, policy = "Block" } },
            }, Http.NewKey());
            Assert.Equal(200, put.Status);
        }
        Assert.Empty(_receiver.Received); // the first delivery is still being held open by the receiver
    }
}

public sealed class SqliteSlowWebhookTests() : SlowWebhookTests(StoreKind.Sqlite);

public sealed class PostgresSlowWebhookTests() : SlowWebhookTests(StoreKind.Postgres);
