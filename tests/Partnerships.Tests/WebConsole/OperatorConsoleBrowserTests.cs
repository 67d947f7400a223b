using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.WebConsole;

/// <summary>
/// An operator in a real browser (headless Chromium), on each store, with forms posted as a person posts them (no
/// script); every page seen is saved as a screenshot under TestResults/screenshots/&lt;store&gt;/.
/// </summary>
public abstract class OperatorConsoleBrowserTests(ConsoleBrowserFixture fixture)
{
    private TestServer Server => fixture.Server;
    private Browser Browser => fixture.Browser;
    private string DemoId => Server.DemoOne.PlatformParentAccountId;

    private void SignIn()
    {
        Browser.Reset(Server.BaseAddress);
        Browser.Open(Server.BaseAddress, "/console/operator/sign-in");
        Browser.Fill("Admin key", Server.AdminKey);
        Browser.Click("Sign in");
        Browser.ShouldSee("Every platform");
    }

    [Fact]
    public void An_operator_is_refused_with_a_bad_key_signs_in_with_a_good_one_and_signs_out()
    {
        Browser.Reset(Server.BaseAddress);
        Browser.Open(Server.BaseAddress, "/console");
        Browser.ShouldSee("Choose how to sign in");
        Browser.Screenshot("console-home");

        Browser.Click("Operator");
        Browser.Fill("Admin key", "padm_mistyped");
        Browser.Click("Sign in");
        Browser.ShouldSee("That admin key is not valid");
        Browser.Screenshot("operator-sign-in-refused");

        Browser.Fill("Admin key", Server.AdminKey);
        Browser.Click("Sign in");
        Browser.ShouldSee("demo-shopfront");
        Browser.Screenshot("operator-platforms");

        Browser.Click("Sign out");
        Browser.ShouldSee("Choose how to sign in");
        Browser.Open(Server.BaseAddress, "/console/operator");
        Browser.ShouldSee("Operator sign-in");
    }

    [Fact]
    public void An_issued_credential_shows_its_secret_once()
    {
        SignIn();
        Browser.Click("demo-shopfront");
        Browser.ShouldSee("Credentials");
        Browser.Fill("Label of the new credential (optional)", "console-issued");
        Browser.Click("Issue credential");

        Browser.ShouldSee("Credential issued");
        var secret = Browser.Find("#client-secret").Text;
        Assert.StartsWith("rsec_", secret);
        Browser.ShouldSee("console-issued");
        Browser.Screenshot("platform-credential-issued");

        Browser.Open(Server.BaseAddress, $"/console/operator/platforms/{DemoId}");
        Browser.ShouldSee("console-issued");
        Assert.DoesNotContain(secret, Browser.Driver.PageSource);
        Browser.Screenshot("platform-credentials-limits-webhook");
    }

    [Fact]
    public async Task A_mapping_csv_with_a_bad_line_is_previewed_line_by_line_and_its_good_lines_load()
    {
        using var admin = Server.AdminClient();
        var table = (await admin.GetJsonAsync($"/admin/v1/platforms/{DemoId}/vertical-mappings")).Data.EnumerateArray().ToList();
        var existing = table[0];
        var target = existing.GetProperty("network_category_id").GetInt64();
        var csv = Path.Combine(Path.GetTempPath(), $"mappings-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, string.Join('\n',
            "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id",
            $"9100,9101,Console Goods,Console Widgets,{target}",
            "9100,9102,Console Goods,Console Gadgets,99999999",
            $"{existing.GetProperty("partner_vertical_id")},{existing.GetProperty("partner_sub_vertical_id")},{existing.GetProperty("partner_vertical_name")},{existing.GetProperty("partner_sub_vertical_name")},{target}") + "\n");
        try
        {
            SignIn();
            Browser.Open(Server.BaseAddress, $"/console/operator/platforms/{DemoId}/mappings");
            Browser.Field("CSV file").SendKeys(csv);
            Browser.Click("Preview import");

            Browser.ShouldSee("Preview: nothing is written yet");
            Browser.ShouldSee("1 added, 0 changed, 1 unchanged, 1 refused.");
            var refused = Browser.Find("tr.refused").Text;
            Assert.Contains("line 3", refused);
            Assert.Contains("network category 99999999 does not exist", refused);
            Browser.Screenshot("mappings-preview-with-refused-line");
            Assert.DoesNotContain((await admin.GetJsonAsync($"/admin/v1/platforms/{DemoId}/vertical-mappings")).Data.EnumerateArray(),
                m => m.GetProperty("partner_sub_vertical_id").GetInt64() == 9101);

            Browser.Click("Load the 2 accepted lines");
            Browser.ShouldSee("Loaded 2 lines (1 added, 1 updated); 1 refused lines were left out.");
            Browser.Screenshot("mappings-loaded");
        }
        finally
        {
            File.Delete(csv);
        }
        var after = (await admin.GetJsonAsync($"/admin/v1/platforms/{DemoId}/vertical-mappings")).Data.EnumerateArray().ToList();
        Assert.Contains(after, m => m.GetProperty("partner_sub_vertical_id").GetInt64() == 9101 && m.GetProperty("network_category_id").GetInt64() == target);
        Assert.DoesNotContain(after, m => m.GetProperty("partner_sub_vertical_id").GetInt64() == 9102);
    }

    [Fact]
    public async Task A_revoked_relationship_is_found_in_the_audit_log_under_the_console_actor()
    {
        using var partner = await Server.DemoClientAsync();
        var accountId = await partner.RegisterAsync(DemoId);
        SignIn();
        Browser.Open(Server.BaseAddress, $"/console/operator/platforms/{DemoId}/merchants");
        Browser.ShouldSee(accountId);
        var row = Browser.FindAll("tbody tr").Single(r => r.Text.Contains(accountId, StringComparison.Ordinal));
        Browser.Click("Revoke", row);

        Browser.ShouldSee($"Relationship with account {accountId} revoked");
        Browser.Screenshot("merchants-relationship-revoked");
        Assert.Equal(403, (await partner.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);

        Browser.Open(Server.BaseAddress, "/console/operator/audit");
        Browser.Fill("Action", "relationship.revoke");
        Browser.Click("Filter");
        var entry = Browser.FindAll("tbody tr").First(r => r.Text.Contains("account:" + accountId, StringComparison.Ordinal)).Text;
        Assert.Contains("console:" + Server.AdminKeyId, entry);
        Assert.Contains("committed", entry);
        Browser.Screenshot("audit-log-filtered");

        Browser.Open(Server.BaseAddress, $"/console/operator/platforms/{DemoId}/merchants");
        row = Browser.FindAll("tbody tr").Single(r => r.Text.Contains(accountId, StringComparison.Ordinal));
        Browser.Click("Restore", row);
        Browser.ShouldSee($"Relationship with account {accountId} restored");
        Assert.Equal(200, (await partner.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);
    }

    [Fact]
    public async Task A_dead_letter_is_listed_with_its_last_error_and_replayed_into_the_queue_and_the_event_feed_reads()
    {
        var dead = await InsertDeadWebhookAsync();
        SignIn();
        Browser.Click("Outbox");
        Browser.ShouldSee("Dead letters");
        Browser.ShouldSee("gave up after 8 attempts: connection refused");
        Browser.Screenshot("outbox-dead-letters");

        Browser.Click("Replay", Browser.Find($"#message-{dead}"));

        Browser.ShouldSee($"Message {dead} is queued for delivery again.");
        Browser.Screenshot("outbox-replayed");
        using var admin = Server.AdminClient();
        var pending = (await admin.GetJsonAsync("/admin/v1/outbox?status=pending")).Data.EnumerateArray();
        Assert.Contains(pending, m => m.GetProperty("id").GetInt64() == dead && m.GetProperty("attempts").GetInt32() == 0);
        var audit = (await admin.GetJsonAsync($"/admin/v1/audit?action=outbox.replay&actor=console:{Server.AdminKeyId}")).Data.EnumerateArray();
        Assert.Contains(audit, e => e.GetProperty("target").GetString() == $"outbox:{dead}");

        Browser.Click("Event feed");
        Browser.ShouldSee("Events after position 0");
        Browser.Screenshot("event-feed");
    }

    /// <summary>A webhook the dispatcher gave up on (the fixture runs no dispatcher, so it is written as the dispatcher leaves it).</summary>
    private async Task<long> InsertDeadWebhookAsync()
    {
        await using var connection = await Server.Database.OpenAsync();
        var now = Partnerships.Storage.Database.Timestamp(DateTimeOffset.UtcNow);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            """
            INSERT INTO outbox_messages (message_id, channel, topic, platform_id, payload, status, attempts, next_attempt_at, created_at, last_error)
            VALUES (@id, 'webhook', 'account.updated', @platform, '{}', 'dead', 8, @now, @now, 'gave up after 8 attempts: connection refused')
            RETURNING id
            """, new { id = Guid.NewGuid().ToString(), platform = DemoId, now });
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOperatorConsoleBrowserTests(SqliteConsoleBrowserFixture fixture)
    : OperatorConsoleBrowserTests(fixture), IClassFixture<SqliteConsoleBrowserFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresOperatorConsoleBrowserTests(PostgresConsoleBrowserFixture fixture)
    : OperatorConsoleBrowserTests(fixture), IClassFixture<PostgresConsoleBrowserFixture>;
