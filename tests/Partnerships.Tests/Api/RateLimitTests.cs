using System.Diagnostics.Metrics;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Per-platform budgets as published, on a server with the published limits and a clock the test moves: a sliding window
/// of 60 seconds, refusals that leave nothing behind, the headers that let a client pace itself, operators' overrides.
/// </summary>
public abstract class RateLimitTests(StoreKind kind) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TestClock _clock = new(Start);
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind, new Dictionary<string, string?>(TestServer.PublishedRateLimits), _clock);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string PlatformId => _server.DemoOne.PlatformParentAccountId;

    [Fact]
    public async Task The_eleventh_registration_in_a_minute_is_refused_with_429_and_leaves_nothing_behind()
    {
        using var client = await _server.DemoClientAsync();
        for (var i = 0; i < 10; i++)
        {
            var ok = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId));
            Assert.True(ok.Status is 200 or 201, ok.ToString());
            Assert.Equal("\"register\";q=10;w=60", ok.Header("RateLimit-Policy"));
            Assert.StartsWith($"\"register\";r={9 - i};t=", ok.Header("RateLimit"));
        }
        var before = await StoreSnapshot.TakeAllExceptAsync(_server.Database, StoreSnapshot.BackgroundTables);

        var refused = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId), Http.NewKey());

        Assert.Equal(429, refused.Status);
        Assert.Equal("RateLimitExceeded", refused.Error);
        Assert.Equal("60", refused.Header("Retry-After"));
        Assert.Equal("\"register\";q=10;w=60", refused.Header("RateLimit-Policy"));
        Assert.Equal("\"register\";r=0;t=60", refused.Header("RateLimit"));
        Assert.Equal(before, await StoreSnapshot.TakeAllExceptAsync(_server.Database, StoreSnapshot.BackgroundTables));
    }

    [Fact]
    public async Task The_window_slides_so_a_request_is_admitted_again_only_sixty_seconds_after_the_oldest()
    {
        using var client = await _server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        await SetLimitAsync("status", 3);
        await Put(client, accountId, "paused", expect: 200);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await Put(client, accountId, "active", expect: 200);
        await Put(client, accountId, "paused", expect: 200);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var refused = await Put(client, accountId, "active", expect: 429);
        Assert.Equal("1", refused.Header("Retry-After"));

        _clock.Advance(TimeSpan.FromSeconds(1)); // 60 s after the first: it leaves the window, the other two stay
        await Put(client, accountId, "active", expect: 200);
        await Put(client, accountId, "paused", expect: 429);
        _clock.Advance(TimeSpan.FromSeconds(30)); // 60 s after the second and third
        await Put(client, accountId, "paused", expect: 200);
        await Put(client, accountId, "active", expect: 200);
        await Put(client, accountId, "paused", expect: 429);
    }

    [Fact]
    public async Task Dry_runs_and_idempotent_replays_count_and_a_refused_write_does_not_burn_its_key()
    {
        using var client = await _server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        await SetLimitAsync("status", 3);
        var key = Http.NewKey();
        await Put(client, accountId, "paused", expect: 200, key: key);
        Assert.Equal(200, (await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status?dry_run=true", new { status = "active" }, Http.NewKey())).Status);
        var replay = await Put(client, accountId, "paused", expect: 200, key: key);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));

        var unusedKey = Http.NewKey();
        await Put(client, accountId, "active", expect: 429, key: unusedKey);
        Assert.Equal(0, await StoreSnapshot.CountAsync(_server.Database, "idempotency_keys", "idem_key = @unusedKey", new { unusedKey }));

        _clock.Advance(TimeSpan.FromSeconds(60));
        var committed = await Put(client, accountId, "active", expect: 200, key: unusedKey);
        Assert.Null(committed.Header("Idempotent-Replayed"));
        Assert.Equal("active", committed.Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Authentication_comes_before_the_limit_and_the_limit_before_tenancy()
    {
        using var client = await _server.DemoClientAsync();
        await SetLimitAsync("register", 1);
        Assert.Equal(201, (await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId))).Status);

        using var anonymous = _server.Client();
        var unauthenticated = await anonymous.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId));
        Assert.Equal(401, unauthenticated.Status);
        Assert.Null(unauthenticated.Header("RateLimit"));

        // Another platform's id in the body would be 403 — but the budget is checked first.
        var foreign = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoMcc.PlatformParentAccountId));
        Assert.Equal(429, foreign.Status);

        // The other platform's budget is its own.
        using var other = _server.Client(await _server.TokenAsync(_server.DemoMcc.ClientId, _server.DemoMcc.ClientSecret));
        Assert.Equal(403, (await other.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId))).Status);
    }

    [Fact]
    public async Task Every_answer_of_a_limited_route_carries_the_headers_and_reads_share_the_default_budget()
    {
        using var client = await _server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        var get = await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}/marketplacecontrolslists");
        Assert.Equal("\"reads\";q=6000;w=60", get.Header("RateLimit-Policy"));
        var missing = await client.GetJsonAsync("/v1/partnership/accounts/00000000-0000-0000-0000-000000000000");
        Assert.Equal(404, missing.Status);
        Assert.Equal("\"reads\";q=6000;w=60", missing.Header("RateLimit-Policy"));
        var badInput = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "sleeping" }, Http.NewKey());
        Assert.Equal(400, badInput.Status);
        Assert.Equal("\"status\";q=60;w=60", badInput.Header("RateLimit-Policy"));
        var operation = await client.GetJsonAsync("/v1/partnership/operations/00000000-0000-0000-0000-000000000000");
        Assert.Equal("\"operations\";q=600;w=60", operation.Header("RateLimit-Policy"));
    }

    [Fact]
    public async Task A_refusal_is_counted_by_a_metric_not_by_the_store()
    {
        using var client = await _server.DemoClientAsync();
        await SetLimitAsync("reads", 1);
        long refused = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Partnerships.Api.RateLimiting.RateLimitMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag is { Key: "policy", Value: "reads" }) Interlocked.Add(ref refused, value);
        });
        listener.Start();
        Assert.Equal(200, (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        var audit = await StoreSnapshot.CountAsync(_server.Database, "audit_log");
        for (var i = 0; i < 5; i++) Assert.Equal(429, (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        Assert.Equal(5, Interlocked.Read(ref refused));
        Assert.Equal(audit, await StoreSnapshot.CountAsync(_server.Database, "audit_log"));
    }

    [Fact]
    public async Task Operators_see_set_and_reset_a_platforms_limits_and_bad_settings_change_nothing()
    {
        using var admin = _server.AdminClient();
        var list = await admin.GetJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits");
        Assert.Equal(200, list.Status);
        var register = list.Data.GetProperty("policies").EnumerateArray().Single(p => p.GetProperty("policy").GetString() == "register");
        Assert.Equal(10, register.GetProperty("per_minute").GetInt32());
        Assert.Equal(10, register.GetProperty("published_per_minute").GetInt32());
        Assert.Equal(JsonValueKind.Null, register.GetProperty("override_per_minute").ValueKind);
        Assert.True(register.GetProperty("exact").GetBoolean());

        var before = await StoreSnapshot.TakeAsync(_server.Database, "platform_rate_limits");
        Assert.Equal(400, (await admin.PutJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits/register", new { per_minute = 0 })).Status);
        Assert.Equal(400, (await admin.PutJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits/register", new { per_minute = "ten" })).Status);
        Assert.Equal(400, (await admin.PutJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits/register", new { per_minute = 5, burst = 2 })).Status);
        Assert.Equal(404, (await admin.PutJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits/everything", new { per_minute = 5 })).Status);
        Assert.Equal(404, (await admin.PutJsonAsync($"/admin/v1/platforms/{Guid.NewGuid()}/rate-limits/register", new { per_minute = 5 })).Status);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database, "platform_rate_limits"));

        var set = await admin.PutJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits/register", new { per_minute = 25 });
        Assert.Equal(200, set.Status);
        Assert.Equal(25, set.Data.GetProperty("per_minute").GetInt32());
        Assert.Equal(25, set.Data.GetProperty("override_per_minute").GetInt32());
        using var client = await _server.DemoClientAsync();
        Assert.Equal("\"register\";q=25;w=60", (await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId))).Header("RateLimit-Policy"));

        var reset = await admin.SendAsync(HttpMethod.Delete, $"/admin/v1/platforms/{PlatformId}/rate-limits/register");
        Assert.Equal(200, reset.Status);
        Assert.Equal(10, reset.Data.GetProperty("per_minute").GetInt32());
        var audit = await admin.GetJsonAsync("/admin/v1/audit?action=rate_limit.set");
        Assert.Contains(audit.Data.EnumerateArray(), e => e.GetProperty("outcome").GetString() == "committed");
    }

    [Fact]
    public async Task Two_servers_sharing_the_store_share_one_budget_twenty_registrations_give_exactly_ten()
    {
        await using var second = await TestServer.StartAsync(kind, new Dictionary<string, string?>(TestServer.PublishedRateLimits), _clock,
            _server.ConnectionString, _server.SigningKey, _server.SecretKey);
        var token = await _server.TokenAsync(_server.DemoOne.ClientId, _server.DemoOne.ClientSecret);
        using var a = _server.Client(token);
        using var b = second.Client(token);
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? a : b).PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId))));
        Assert.Equal(10, replies.Count(r => r.Status == 201));
        Assert.Equal(10, replies.Count(r => r.Status == 429));

        _clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(201, (await b.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId))).Status);
    }

    [Fact]
    public async Task A_leased_budget_is_shared_by_two_servers_within_ten_percent()
    {
        await using var second = await TestServer.StartAsync(kind, new Dictionary<string, string?>(TestServer.PublishedRateLimits), _clock,
            _server.ConnectionString, _server.SigningKey, _server.SecretKey);
        await SetLimitAsync("reads", 1200); // above RateLimits:ExactUpTo: leased to each process in chunks
        var token = await _server.TokenAsync(_server.DemoOne.ClientId, _server.DemoOne.ClientSecret);
        using var a = _server.Client(token);
        using var b = second.Client(token);
        var admitted = 0;
        for (var round = 0; round < 70; round++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).GetJsonAsync("/v1/partnership/vertical-mappings")));
            admitted += replies.Count(r => r.Status == 200);
        }
        Assert.InRange(admitted, 1080, 1200);
    }

    [Fact]
    public async Task Too_many_refused_credentials_from_one_address_get_429_and_write_no_audit_entry()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?>(TestServer.PublishedRateLimits)
        {
            ["RateLimits:AnonymousPerIpPerMinute"] = "4",
        });
        using var anonymous = server.Client();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "nobody", ["client_secret"] = "wrong" };
        Assert.Equal(401, (int)(await anonymous.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(form))).StatusCode);
        using var badToken = server.Client("not-a-token");
        Assert.Equal(401, (await badToken.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        using var badKey = server.Client("padm_not-a-key");
        Assert.Equal(401, (await badKey.GetJsonAsync("/admin/v1/platforms")).Status);
        Assert.Equal(401, (await badKey.GetJsonAsync("/admin/v1/platforms")).Status);
        var audit = await StoreSnapshot.CountAsync(server.Database, "audit_log");

        var token = await anonymous.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(form));
        Assert.Equal(429, (int)token.StatusCode);
        Assert.NotNull(token.Headers.RetryAfter);
        Assert.Equal(429, (await badToken.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        var admin = await badKey.GetJsonAsync("/admin/v1/platforms");
        Assert.Equal(429, admin.Status);
        Assert.Equal("RateLimitExceeded", admin.Error);
        Assert.Equal(audit, await StoreSnapshot.CountAsync(server.Database, "audit_log"));

        // A valid admin key is never held back by the address's budget for refused ones.
        Assert.Equal(200, (await server.AdminClient().GetJsonAsync("/admin/v1/platforms")).Status);
    }

    private async Task SetLimitAsync(string policy, int perMinute)
    {
        using var admin = _server.AdminClient();
        var reply = await admin.PutJsonAsync($"/admin/v1/platforms/{PlatformId}/rate-limits/{policy}", new { per_minute = perMinute });
        Assert.Equal(200, reply.Status);
    }

    private static async Task<Reply> Put(HttpClient client, string accountId, string status, int expect, string? key = null)
    {
        var reply = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status }, key ?? Http.NewKey());
        Assert.True(reply.Status == expect, $"expected {expect}: {reply}");
        return reply;
    }
}

public sealed class SqliteRateLimitTests() : RateLimitTests(StoreKind.Sqlite);
public sealed class PostgresRateLimitTests() : RateLimitTests(StoreKind.Postgres);
