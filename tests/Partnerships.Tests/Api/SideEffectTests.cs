using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Webhooks, emails, Stripe and the event feed against real peers on 127.0.0.1; one server per test.</summary>
public abstract class SideEffectTests(StoreKind kind) : IAsyncLifetime
{
    protected WebhookReceiver Receiver = null!;
    protected SmtpSink Smtp = null!;
    protected StripeFake Stripe = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartNewAsync();
        Smtp = SmtpSink.Start();
        Stripe = await StripeFake.StartNewAsync();
    }

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Smtp.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    protected Dictionary<string, string?> Settings(bool smtp = true, int maxAttempts = 8) => new()
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Email:Smtp:Host"] = smtp ? "127.0.0.1" : null,
        ["Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:OperatorAddress"] = "operators@network.example",
        ["Stripe:SecretKey"] = "sk_test_partnerships",
        ["Stripe:BaseUrl"] = Stripe.BaseAddress.ToString().TrimEnd('/'),
        ["Outbox:PollMilliseconds"] = "50",
        ["Outbox:BaseDelayMilliseconds"] = "100",
        ["Outbox:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Outbox:LeaseSeconds"] = "3",
    };

    protected async Task<TestServer> StartAsync(Dictionary<string, string?> settings)
    {
        var server = await TestServer.StartAsync(kind, settings);
        using var admin = server.AdminClient();
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook", new { url = Receiver.Url });
        Assert.Equal(200, hook.Status);
        Receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", Receiver.Secret);
        return server;
    }

    /// <summary>Every dry-run-capable write plus registration and payout setup, done for real.</summary>
    protected static async Task<(string AccountId, string LayoutId, string PageId)> DoEveryWriteAsync(HttpClient client, string platformId, bool dryRun)
    {
        var q = dryRun ? "?dry_run=true" : "";
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(platformId));
        Assert.Equal(201, registration.Status);
        var accountId = registration.Data.GetProperty("account_id").GetString()!;
        var layoutId = registration.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!;
        var pageId = registration.Data.GetProperty("pages")[0].GetProperty("page_id").GetString()!;
        var a = $"/v1/partnership/accounts/{accountId}";
        var replies = new[]
        {
            await client.PutJsonAsync(a + "/marketplacecontrolslists" + q, new
            {
                name = "n", blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = 1610, policy = "Block" } }, domains = Array.Empty<object>(),
            }, Http.NewKey()),
            await client.PutJsonAsync(a + "/status" + q, new { status = "paused" }, Http.NewKey()),
            await client.PatchJsonAsync(a + $"/layouts/{layoutId}" + q, new { primaryColor = "#000000" }, Http.NewKey()),
            await client.PostJsonAsync(a + "/pages" + q, new { pages = new[] { new { surface = "returns", layout_type = "Embedded" } } }, Http.NewKey()),
            await client.PutJsonAsync(a + $"/pages/{pageId}" + q, new { layout_type = "Embedded" }, Http.NewKey()),
        };
        Assert.All(replies, r => Assert.True(r.Status is 200 or 201, r.ToString()));
        return (accountId, layoutId, pageId);
    }

    [Fact]
    public async Task Every_event_arrives_as_a_signed_webhook_with_the_state_in_partner_taxonomy()
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        var (accountId, _, _) = await DoEveryWriteAsync(client, server.DemoOne.PlatformParentAccountId, dryRun: false);
        var payout = await client.PostJsonAsync($"/v1/partnership/accounts/{accountId}/payout-setup",
            new { return_url = "https://platform.example.com/done", refresh_url = "https://platform.example.com/retry" }, Http.NewKey());
        Assert.Equal(201, payout.Status);

        var expected = new[] { "account.registered", "marketplace_controls.updated", "account.status.updated", "layout.updated", "pages.added", "page.layout.switched",
            "payout_setup.created" };
        var received = await Receiver.WaitForAsync(r => expected.All(t => r.Any(x => x.Type == t)));
        Assert.All(received, r => Assert.True(r.SignatureValid, r.Signature));
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.Equal(accountId, r.Json.GetProperty("account_id").GetString()));
        var controls = received.Single(r => r.Type == "marketplace_controls.updated").Json.GetProperty("data");
        Assert.Equal(1610, controls.GetProperty("blockedVerticals")[0].GetProperty("partnerSubVerticalId").GetInt64());
        Http.AssertNoNetworkFields(controls);
        var switched = received.Single(r => r.Type == "page.layout.switched").Json.GetProperty("data");
        Assert.Equal("Embedded", switched.GetProperty("layout_type").GetString());
        Assert.Equal(2, switched.GetProperty("layouts").GetArrayLength());

        // The operation reports its side effects' delivery.
        var operation = await client.GetJsonAsync($"/v1/partnership/operations/{payout.Header("X-Operation-Id")}");
        await WaitUntilAsync(async () => (await client.GetJsonAsync($"/v1/partnership/operations/{payout.Header("X-Operation-Id")}"))
            .Data.GetProperty("side_effects").EnumerateArray().All(e => e.GetProperty("status").GetString() == "delivered"));
        Assert.Contains(operation.Data.GetProperty("side_effects").EnumerateArray(), e => e.GetProperty("channel").GetString() == "webhook");
    }

    [Fact]
    public async Task Dry_runs_produce_no_webhook_email_Stripe_call_event_or_operation_and_real_writes_produce_them_all()
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        // Registration cannot be rehearsed; register first, then rehearse everything else on a settled baseline.
        var (accountId, layoutId, pageId) = await DoEveryWriteAsync(client, server.DemoOne.PlatformParentAccountId, dryRun: false);
        await Receiver.WaitForAsync(r => r.Count >= 6);
        await Smtp.WaitForAsync(3); // welcome, operator notice, status notice
        await Task.Delay(500);
        var webhooks = Receiver.Received.Count;
        var mails = Smtp.Mail.Count;
        var events = await StoreSnapshot.CountAsync(server.Database, "events");
        var operations = await StoreSnapshot.CountAsync(server.Database, "operations");
        var outbox = await StoreSnapshot.CountAsync(server.Database, "outbox_messages");

        var a = $"/v1/partnership/accounts/{accountId}";
        var dry = new[]
        {
            await client.PutJsonAsync(a + "/marketplacecontrolslists?dry_run=true", new { name = "x", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>() }, Http.NewKey()),
            await client.PutJsonAsync(a + "/status?dry_run=true", new { status = "active" }, Http.NewKey()),
            await client.PatchJsonAsync(a + $"/layouts/{layoutId}?dry_run=true", new { textColor = "#111111" }, Http.NewKey()),
            await client.PostJsonAsync(a + "/pages?dry_run=true", new { pages = new[] { new { surface = "tracking", layout_type = "Embedded" } } }, Http.NewKey()),
            await client.PutJsonAsync(a + $"/pages/{pageId}?dry_run=true", new { layout_type = "Overlay" }, Http.NewKey()),
            await client.PostJsonAsync(a + "/payout-setup?dry_run=true", new { return_url = "https://p.example.com/a", refresh_url = "https://p.example.com/b" }, Http.NewKey()),
        };
        Assert.All(dry.Take(5), r => Assert.Equal("true", r.Header("Dry-Run")));
        Assert.Equal(400, dry[5].Status);
        await Task.Delay(1000); // give the dispatcher every chance to (wrongly) deliver something
        Assert.Equal(webhooks, Receiver.Received.Count);
        Assert.Equal(mails, Smtp.Mail.Count);
        Assert.Empty(Stripe.Calls);
        Assert.Equal(events, await StoreSnapshot.CountAsync(server.Database, "events"));
        Assert.Equal(operations, await StoreSnapshot.CountAsync(server.Database, "operations"));
        Assert.Equal(outbox, await StoreSnapshot.CountAsync(server.Database, "outbox_messages"));

        // The same writes for real produce all of them.
        Assert.Equal(200, (await client.PutJsonAsync(a + "/status", new { status = "active" }, Http.NewKey())).Status);
        Assert.Equal(201, (await client.PostJsonAsync(a + "/payout-setup", new { return_url = "https://p.example.com/a", refresh_url = "https://p.example.com/b" }, Http.NewKey())).Status);
        await Receiver.WaitForAsync(r => r.Count >= webhooks + 2);
        await Smtp.WaitForAsync(mails + 1);
        Assert.Equal(2, Stripe.Calls.Count);
        Assert.Equal(events + 2, await StoreSnapshot.CountAsync(server.Database, "events"));
        Assert.Equal(operations + 2, await StoreSnapshot.CountAsync(server.Database, "operations"));
    }

    [Fact]
    public async Task Emails_reach_a_real_SMTP_server_from_files_as_templates()
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
        var mail = await Smtp.WaitForAsync(3);
        Assert.Contains(mail, m => m.To.Contains("owner@acme-outdoor.example.com") && m.Data.Contains("Subject: Welcome to the network, Acme Outdoor"));
        Assert.Contains(mail, m => m.To.Contains("operators@network.example") && m.Data.Contains(accountId));
        Assert.Contains(mail, m => m.To.Contains("owner@acme-outdoor.example.com") && m.Data.Contains("Subject: Your placements are now paused"));
    }

    [Fact]
    public async Task Without_SMTP_the_emails_land_in_the_pickup_folder()
    {
        var pickup = Directory.CreateTempSubdirectory("partnerships-pickup-").FullName;
        var settings = Settings(smtp: false);
        settings["Email:PickupDirectory"] = pickup;
        await using var server = await StartAsync(settings);
        using var client = await server.DemoClientAsync();
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        await WaitUntilAsync(() => Task.FromResult(Directory.GetFiles(pickup, "*.eml").Length >= 2));
        var texts = Directory.GetFiles(pickup, "*.eml").Select(File.ReadAllText).ToList();
        Assert.Contains(texts, t => t.Contains("Welcome to the network"));
        Assert.Empty(Smtp.Mail);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_with_a_stable_webhook_id_then_dead_lettered_replayed_and_disabled()
    {
        await using var server = await StartAsync(Settings(maxAttempts: 3));
        using var client = await server.DemoClientAsync();
        Receiver.FailWith = 500;
        Receiver.FailuresLeft = 2; // two failures, then success
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var first = await Receiver.WaitForAsync(r => r.Count >= 1);
        Assert.Equal(3, Receiver.Attempts);
        Assert.True(first[0].SignatureValid);

        Receiver.FailuresLeft = -1; // always fail now
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        using var admin = server.AdminClient();
        await WaitUntilAsync(async () => (await admin.GetJsonAsync("/admin/v1/outbox?status=dead")).Data.GetArrayLength() >= 1);
        var dead = (await admin.GetJsonAsync("/admin/v1/outbox?status=dead")).Data[0];
        var operationId = dead.GetProperty("operation_id").GetString();
        var op = await client.GetJsonAsync($"/v1/partnership/operations/{operationId}");
        Assert.Equal("failed", op.Data.GetProperty("status").GetString());
        Assert.Contains("dead-lettered", op.Data.GetProperty("error").GetProperty("message").GetString());

        Receiver.FailWith = null;
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/outbox/{dead.GetProperty("id").GetInt64()}/replay", null)).Status);
        await Receiver.WaitForAsync(r => r.Any(x => x.Json.GetProperty("account_id").GetString() == accountId));
        var ids = Receiver.Received.Where(x => x.Json.GetProperty("account_id").GetString() == accountId).Select(x => x.Id).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_no_sooner_than_asked()
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        Receiver.FailWith = 429;
        Receiver.FailuresLeft = 1;
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        await Receiver.WaitForAsync(r => r.Count >= 1);
        var times = Receiver.AttemptTimes;
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(1.9), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_endpoint_that_keeps_failing_is_disabled_and_the_operators_are_told()
    {
        var settings = Settings(maxAttempts: 1);
        settings["Webhooks:DisableAfterFailures"] = "2";
        await using var server = await StartAsync(settings);
        using var client = await server.DemoClientAsync();
        Receiver.FailWith = 500;
        Receiver.FailuresLeft = -1;
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        using var admin = server.AdminClient();
        var hook = $"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook";
        await WaitUntilAsync(async () => (await admin.GetJsonAsync(hook)).Data.GetProperty("status").GetString() == "disabled");
        var events = await admin.GetJsonAsync("/admin/v1/events?after=0&limit=100");
        Assert.Contains(events.Data.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "webhook_endpoint.disabled");

        // While disabled, new events queue no webhooks; re-enabled, they flow again.
        Receiver.FailWith = null;
        Assert.Equal("enabled", (await admin.PostJsonAsync(hook + "/enable", null)).Data.GetProperty("status").GetString());
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        await Receiver.WaitForAsync(r => r.Any(x => x.Json.GetProperty("account_id").GetString() == accountId));
    }

    [Fact]
    public async Task During_a_secret_rotation_both_signatures_are_sent()
    {
        await using var server = await StartAsync(Settings());
        using var admin = server.AdminClient();
        var rotated = await admin.PostJsonAsync($"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook/rotate-secret", null);
        Receiver.PreviousSecret = Receiver.Secret;
        Receiver.Secret = rotated.Data.GetProperty("secret").GetString()!;
        Assert.NotEqual(Receiver.PreviousSecret, Receiver.Secret);
        using var client = await server.DemoClientAsync();
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var received = await Receiver.WaitForAsync(r => r.Count >= 1);
        Assert.Equal(2, received[0].Signature.Split(' ').Length);
        Assert.True(received[0].SignatureValid); // verifies under the new and under the old secret
    }

    [Fact]
    public async Task Payout_setup_creates_one_Stripe_account_across_retries_and_forwards_the_key()
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var path = $"/v1/partnership/accounts/{accountId}/payout-setup";
        var body = new { return_url = "https://platform.example.com/done", refresh_url = "https://platform.example.com/retry" };
        var first = await client.PostJsonAsync(path, body, key);
        Assert.Equal(201, first.Status);
        Assert.StartsWith("acct_", first.Data.GetProperty("providerAccountId").GetString());
        Assert.StartsWith("https://connect.stripe.test/", first.Data.GetProperty("onboardingUrl").GetString());
        Assert.All(Stripe.Calls, c => Assert.Contains(key, c.IdempotencyKey));

        var replay = await client.PostJsonAsync(path, body, key);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        var again = await client.PostJsonAsync(path, body, Http.NewKey());
        Assert.Equal(200, again.Status);
        Assert.Equal(first.Data.GetProperty("providerAccountId").GetString(), again.Data.GetProperty("providerAccountId").GetString());
        Assert.Equal(1, Stripe.AccountsCreated);
        Assert.Equal(2, Stripe.Calls.Count);
    }

    [Theory]
    [InlineData("""{"refresh_url": "https://p.example.com/b"}""", "return_url")]
    [InlineData("""{"return_url": "shop.example.com", "refresh_url": "https://p.example.com/b"}""", "return_url")]
    [InlineData("""{"return_url": "https://p.example.com/a", "refresh_url": 7}""", "refresh_url")]
    [InlineData("""{"return_url": "https://p.example.com/a", "refresh_url": "https://p.example.com/b", "country": "US"}""", "country")]
    public async Task A_bad_payout_setup_body_is_400_naming_the_field_with_no_Stripe_call_and_nothing_stored(string body, string field)
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(server.Database, [.. StoreSnapshot.StateTables, "payout_setups"]);
        var reply = await client.PostJsonAsync($"/v1/partnership/accounts/{accountId}/payout-setup", body, Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Contains(field, reply.DetailFields);
        Assert.Empty(Stripe.Calls);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, [.. StoreSnapshot.StateTables, "payout_setups"]));
    }

    [Fact]
    public async Task Payout_setup_without_a_Stripe_key_is_503_saying_how_to_configure_it()
    {
        var settings = Settings();
        settings["Stripe:SecretKey"] = null;
        await using var server = await StartAsync(settings);
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var reply = await client.PostJsonAsync($"/v1/partnership/accounts/{accountId}/payout-setup",
            new { return_url = "https://p.example.com/a", refresh_url = "https://p.example.com/b" }, Http.NewKey());
        Assert.Equal(503, reply.Status);
        Assert.Equal("ServiceUnavailable", reply.Error);
        Assert.Contains("Stripe:SecretKey", reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_event_feed_is_ordered_and_read_with_a_cursor()
    {
        await using var server = await StartAsync(Settings());
        using var client = await server.DemoClientAsync();
        await DoEveryWriteAsync(client, server.DemoOne.PlatformParentAccountId, dryRun: false);
        using var admin = server.AdminClient();
        var page1 = await admin.GetJsonAsync("/admin/v1/events?after=0&limit=2");
        var cursor = page1.Data.GetProperty("next_cursor").GetInt64();
        var page2 = await admin.GetJsonAsync($"/admin/v1/events?after={cursor}&limit=100");
        var types = page1.Data.GetProperty("events").EnumerateArray().Concat(page2.Data.GetProperty("events").EnumerateArray())
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["account.registered", "marketplace_controls.updated", "account.status.updated", "layout.updated", "pages.added", "page.layout.switched"], types);
        var seqs = page2.Data.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.All(seqs, s => Assert.True(s > cursor));
    }

    [Fact]
    public async Task Webhook_targets_in_private_ranges_are_refused_unless_allowed()
    {
        var settings = Settings();
        settings["Webhooks:AllowPrivateTargets"] = "false";
        await using var server = await TestServer.StartAsync(kind, settings);
        using var admin = server.AdminClient();
        var reply = await admin.PutJsonAsync($"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook", new { url = "https://127.0.0.1/hooks" });
        Assert.Equal(400, reply.Status);
        Assert.Contains("url", reply.DetailFields);
        var privateRange = await admin.PutJsonAsync($"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook", new { url = "https://10.1.2.3/hooks" });
        Assert.Equal(400, privateRange.Status);
    }

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteSideEffectTests() : SideEffectTests(StoreKind.Sqlite);
public sealed class PostgresSideEffectTests() : SideEffectTests(StoreKind.Postgres);
