using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.WebConsole;

/// <summary>
/// The console's sessions over plain HTTP: strict cookies scoped to /console, anti-forgery on every form, a revoked key
/// ending its session, HTML errors under /console while the API keeps its envelope, and one key ring for every process.
/// </summary>
public abstract class ConsoleShellTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Cookie(ConsoleHttp.Page page, string name) =>
        page.SetCookies.SingleOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No {name} cookie in: {string.Join(" | ", page.SetCookies)}");

    private static void StrictAndHttpOnlyUnderConsole(string cookie)
    {
        var flags = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", flags);
        Assert.Contains("samesite=strict", flags);
        Assert.Contains("path=/console", flags);
        // Plain http here: Secure is set only when the request came over https.
        Assert.DoesNotContain("secure", flags);
    }

    [Fact]
    public async Task Operator_sign_in_sets_a_strict_http_only_session_cookie_scoped_to_the_console()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);
        var form = await console.GetAsync("/console/operator/sign-in");
        StrictAndHttpOnlyUnderConsole(Cookie(form, "partnerships_console_af"));

        var signedIn = await console.SignInOperatorAsync(_server.AdminKey);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal("/console/operator", signedIn.Location);
        StrictAndHttpOnlyUnderConsole(Cookie(signedIn, "partnerships_console_operator"));
        var platforms = await console.GetAsync("/console/operator");
        Assert.Equal(HttpStatusCode.OK, platforms.Status);
        Assert.Contains("demo-shopfront", platforms.Html);
        Assert.DoesNotContain(_server.AdminKey, platforms.Html);
    }

    [Fact]
    public async Task Signing_in_and_out_of_the_operator_console_are_audited_under_the_key()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInOperatorAsync(_server.AdminKey)).Status);

        var signedOut = await console.SubmitAsync("/console/operator", new Dictionary<string, string>(), action: "/console/operator/sign-out");

        Assert.Equal(HttpStatusCode.Redirect, signedOut.Status);
        Assert.Equal(HttpStatusCode.Redirect, (await console.GetAsync("/console/operator")).Status);
        using var admin = _server.AdminClient();
        foreach (var action in new[] { "console.sign_in", "console.sign_out" })
        {
            var entries = (await admin.GetFromJsonAsync<JsonElement>($"/admin/v1/audit?action={action}")).GetProperty("data").EnumerateArray().ToList();
            var entry = Assert.Single(entries);
            Assert.Equal("committed", entry.GetProperty("outcome").GetString());
            Assert.Equal("console:" + _server.AdminKeyId, entry.GetProperty("actor").GetString());
            Assert.Equal("admin_key:" + _server.AdminKeyId, entry.GetProperty("target").GetString());
        }
    }

    [Fact]
    public async Task The_audit_log_page_finds_a_partner_call_by_its_request_id_its_account_and_its_outcome()
    {
        using var api = await _server.DemoClientAsync();
        var registered = await api.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
        Assert.Equal(201, registered.Status);
        var requestId = registered.Response.Headers.GetValues("X-Request-Id").Single();
        var accountId = registered.Data.GetProperty("account_id").GetString()!;
        var refusedBody = Http.Registration(_server.DemoOne.PlatformParentAccountId);
        refusedBody["vertical_id"] = 99999;
        var refused = await api.PostJsonAsync("/v1/accounts/register/partnership", refusedBody);
        Assert.Equal(400, refused.Status);
        var refusedRequestId = refused.Response.Headers.GetValues("X-Request-Id").Single();
        using var console = new ConsoleHttp(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInOperatorAsync(_server.AdminKey)).Status);

        var byRequest = await console.GetAsync($"/console/operator/audit?request={requestId}");
        var byAccount = await console.GetAsync($"/console/operator/audit?account={accountId}");
        var rejected = await console.GetAsync("/console/operator/audit?outcome=rejected");
        var unknownOutcome = await console.GetAsync("/console/operator/audit?outcome=maybe");

        Assert.Contains("(1 on this page)", byRequest.Html);
        Assert.Contains(requestId, byRequest.Html);
        Assert.Contains(requestId, byAccount.Html);
        Assert.DoesNotContain(refusedRequestId, byAccount.Html);
        Assert.Contains(refusedRequestId, rejected.Html);
        Assert.DoesNotContain(requestId, rejected.Html);
        Assert.Equal(HttpStatusCode.OK, unknownOutcome.Status);
        Assert.Contains("outcome: &#x27;maybe&#x27; is not one of committed, dry_run, replayed, rejected", unknownOutcome.Html);
    }

    [Fact]
    public async Task The_audit_log_page_pages_newest_first_through_every_matching_entry_once()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false", ["Console:PageSize"] = "3" });
        using var admin = server.AdminClient();
        for (var i = 0; i < 7; i++) Assert.Equal(201, (await admin.PostJsonAsync("/admin/v1/platforms", new { name = $"paged-{i}" })).Status);
        var oldestFirst = (await admin.GetFromJsonAsync<JsonElement>("/admin/v1/audit?action=platform.create")).GetProperty("data")
            .EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        using var console = new ConsoleHttp(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInOperatorAsync(server.AdminKey)).Status);

        var seen = new List<long>();
        var pages = 0;
        for (var path = "/console/operator/audit?action=platform.create"; path is not null; pages++)
        {
            var page = await console.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            seen.AddRange(System.Text.RegularExpressions.Regex.Matches(page.Html, "<th scope=\"row\">(\\d+)</th>").Select(m => long.Parse(m.Groups[1].Value)));
            var older = System.Text.RegularExpressions.Regex.Match(page.Html, "<a href=\"([^\"]+)\">Older entries</a>");
            path = older.Success ? WebUtility.HtmlDecode(older.Groups[1].Value) : null;
        }

        Assert.Equal(7, oldestFirst.Count);
        Assert.Equal(Enumerable.Reverse(oldestFirst), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_is_refused_and_signs_nobody_in()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);

        var refused = await console.SubmitAsync("/console/operator/sign-in", new Dictionary<string, string> { ["admin_key"] = _server.AdminKey }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.StartsWith("text/html", refused.Response.Content.Headers.ContentType?.ToString());
        Assert.Contains("anti-forgery", refused.Html);
        Assert.DoesNotContain(refused.SetCookies, c => c.StartsWith("partnerships_console_operator=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await console.GetAsync("/console/operator")).Status);
    }

    [Fact]
    public async Task A_wrong_admin_key_is_refused_with_a_message_and_audited()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);

        var refused = await console.SignInOperatorAsync("padm_not-a-key");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("That admin key is not valid", refused.Html);
        using var admin = _server.AdminClient();
        var audit = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/audit?action=console.sign_in");
        Assert.Contains(audit.GetProperty("data").EnumerateArray(), e => e.GetProperty("outcome").GetString() == "rejected");
    }

    [Fact]
    public async Task An_address_past_its_budget_of_refused_sign_ins_is_refused_even_with_the_right_key_or_secret()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Outbox:Dispatcher"] = "false", ["RateLimits:AnonymousPerIpPerMinute"] = "2",
        });
        using var console = new ConsoleHttp(server.BaseAddress);
        Assert.Equal(HttpStatusCode.BadRequest, (await console.SignInOperatorAsync("padm_guess-1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await console.SignInOperatorAsync("padm_guess-2")).Status);

        var rightKey = await console.SignInOperatorAsync(server.AdminKey);
        var rightSecret = await console.SignInPartnerAsync(server.DemoOne.ClientId, server.DemoOne.ClientSecret);

        Assert.Equal((HttpStatusCode)429, rightKey.Status);
        Assert.Contains("Too many refused sign-ins from this address", rightKey.Html);
        Assert.DoesNotContain(rightKey.SetCookies, c => c.StartsWith("partnerships_console_operator=", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode)429, rightSecret.Status);
        Assert.DoesNotContain(rightSecret.SetCookies, c => c.StartsWith("partnerships_console_partner=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await console.GetAsync("/console/operator")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await console.GetAsync("/console/partner")).Status);
    }

    [Fact]
    public async Task Revoking_the_admin_key_ends_its_console_session()
    {
        using var admin = _server.AdminClient();
        var issued = await (await admin.PostAsync("/admin/v1/admin-keys?label=console-test", null)).Content.ReadFromJsonAsync<JsonElement>();
        var (id, key) = (issued.GetProperty("data").GetProperty("id").GetString()!, issued.GetProperty("data").GetProperty("admin_key").GetString()!);
        using var console = new ConsoleHttp(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInOperatorAsync(key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/console/operator")).Status);

        Assert.True((await admin.PostAsync($"/admin/v1/admin-keys/{id}/revoke", null)).IsSuccessStatusCode);

        var after = await console.GetAsync("/console/operator");
        Assert.Equal(HttpStatusCode.Redirect, after.Status);
        Assert.StartsWith("/console/operator/sign-in", new Uri(after.Location!, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } u ? u.PathAndQuery : after.Location);
    }

    [Fact]
    public async Task Partner_sign_in_keeps_a_token_not_the_secret_and_refuses_a_wrong_secret()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);

        var wrong = await console.SignInPartnerAsync(_server.DemoOne.ClientId, "rsec_wrong");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Contains("not accepted", wrong.Html);
        Assert.DoesNotContain("rsec_wrong", wrong.Html);

        var signedIn = await console.SignInPartnerAsync(_server.DemoOne.ClientId, _server.DemoOne.ClientSecret);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        StrictAndHttpOnlyUnderConsole(Cookie(signedIn, "partnerships_console_partner"));
        Assert.DoesNotContain(_server.DemoOne.ClientSecret, Cookie(signedIn, "partnerships_console_partner"));
        var merchants = await console.GetAsync("/console/partner");
        Assert.Equal(HttpStatusCode.OK, merchants.Status);
        Assert.Contains(_server.DemoOne.PlatformParentAccountId, merchants.Html);
        Assert.DoesNotContain(_server.DemoOne.ClientSecret, merchants.Html);
    }

    [Fact]
    public async Task Console_errors_are_html_pages_while_the_api_keeps_its_envelope()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);

        var missing = await console.GetAsync("/console/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.StartsWith("text/html", missing.Response.Content.Headers.ContentType?.ToString());
        Assert.Contains("Page not found", missing.Html);

        var api = await console.GetAsync("/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, api.Status);
        Assert.StartsWith("application/json", api.Response.Content.Headers.ContentType?.ToString());
        Assert.Equal(404, JsonDocument.Parse(api.Html).RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_session_signed_in_on_one_process_is_read_by_another_sharing_the_store()
    {
        using var console = new ConsoleHttp(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInOperatorAsync(_server.AdminKey)).Status);
        var cookie = console.CookieHeader;
        await using var other = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_server, new Dictionary<string, string> { ["Outbox:Dispatcher"] = "false" }));

        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = other.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/operator");
        request.Headers.Add("Cookie", cookie);
        var answer = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("demo-shopfront", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_operator_page_renders_on_the_demo_data_and_its_times_are_kept_with_the_results()
    {
        using var api = await _server.DemoClientAsync();
        for (var i = 0; i < 30; i++)
        {
            var body = Http.Registration(_server.DemoOne.PlatformParentAccountId, externalId: $"timed-{i:00}");
            body["brand"] = $"Timed Merchant {i:00}";
            Assert.Equal(201, (await api.PostJsonAsync("/v1/accounts/register/partnership", body)).Status);
        }
        using var console = new ConsoleHttp(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await console.SignInOperatorAsync(_server.AdminKey)).Status);
        var shop = _server.DemoOne.PlatformParentAccountId;
        var mcc = _server.DemoMcc.PlatformParentAccountId;
        var pages = new[]
        {
            ("console home", "/console", "Choose how to sign in"), ("platforms", "/console/operator", "demo-mcc-commerce"),
            ("platform", $"/console/operator/platforms/{shop}", "Credentials"),
            ("mappings", $"/console/operator/platforms/{shop}/mappings", "Mapping table of demo-shopfront"),
            ("mappings, 981 rows (first page)", $"/console/operator/platforms/{mcc}/mappings", "Mapping table of demo-mcc-commerce"),
            ("merchants, 30", $"/console/operator/platforms/{shop}/merchants", "Timed Merchant 29"),
            ("audit log", "/console/operator/audit", "console.sign_in"),
            ("audit log, filtered", $"/console/operator/audit?platform={shop}", "/v1/accounts/register/partnership"),
            ("outbox", "/console/operator/outbox", "Dead letters"), ("event feed", "/console/operator/events", "account.registered"),
        };

        var lines = new List<string>();
        foreach (var (name, path, shows) in pages)
        {
            lines.Add(await PageTimes.MeasureAsync(console, name, path, shows, _server.AdminKey, _server.DemoOne.ClientSecret));
        }

        await PageTimes.WriteAsync(kind, "operator", lines);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteConsoleShellTests() : ConsoleShellTests(StoreKind.Sqlite);

[Collection(PostgresCollection.Name)]
public sealed class PostgresConsoleShellTests() : ConsoleShellTests(StoreKind.Postgres);
