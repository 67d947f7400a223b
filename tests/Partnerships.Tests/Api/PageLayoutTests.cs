using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// The published layouts recipe through PUT and GET …/pages/{page_id}: theme the layout, switch the page to the other
/// layout type, theme that one, switch back. A page keeps one layout per type, so each keeps its theme.
/// </summary>
public abstract class PageLayoutTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string PlatformId => Server.DemoOne.PlatformParentAccountId;

    private sealed record Merchant(string AccountId, string PageId, string LayoutId)
    {
        public string Page => $"/v1/partnership/accounts/{AccountId}/pages/{PageId}";
        public string Layout(string id) => $"/v1/partnership/accounts/{AccountId}/layouts/{id}";
    }

    private static async Task<Merchant> RegisterAsync(HttpClient client, string platformId)
    {
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(platformId));
        Assert.Equal(201, registration.Status);
        var page = registration.Data.GetProperty("pages")[0];
        return new Merchant(registration.Data.GetProperty("account_id").GetString()!, page.GetProperty("page_id").GetString()!,
            page.GetProperty("layout_id").GetString()!);
    }

    private static string Id(JsonElement view) => view.GetProperty("layout_id").GetString()!;

    private Task<long> SwitchEventsAsync(string accountId) =>
        StoreSnapshot.CountAsync(Server.Database, "events", "account_id = @accountId AND type = 'page.layout.switched'", new { accountId });

    [Fact]
    public async Task Switching_a_page_back_and_forth_keeps_each_layouts_theme()
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        var first = await client.GetJsonAsync(m.Page);
        Assert.Equal(200, first.Status);
        Assert.Equal("Overlay", first.Data.GetProperty("layout_type").GetString());
        Assert.Equal(m.LayoutId, Id(first.Data));
        Assert.Equal(1, first.Data.GetProperty("layouts").GetArrayLength());

        // Theme the Overlay layout, switch to Embedded: a new layout with the default theme.
        Assert.Equal(200, (await client.PatchJsonAsync(m.Layout(m.LayoutId), new { primaryColor = "#112233", borderRadius = 3 }, Http.NewKey())).Status);
        var embedded = await client.PutJsonAsync(m.Page, new { layout_type = "Embedded" }, Http.NewKey());
        Assert.True(embedded.Status == 200, embedded.ToString());
        Assert.Equal("Embedded", embedded.Data.GetProperty("layout_type").GetString());
        var embeddedId = Id(embedded.Data);
        Assert.NotEqual(m.LayoutId, embeddedId);
        Assert.Equal([("Embedded", embeddedId), ("Overlay", m.LayoutId)], embedded.Data.GetProperty("layouts").EnumerateArray()
            .Select(l => (l.GetProperty("layout_type").GetString(), l.GetProperty("layout_id").GetString())).ToArray());
        var fresh = await client.GetJsonAsync(m.Layout(embeddedId));
        Assert.Equal("#1a73e8", fresh.Data.GetProperty("primaryColor").GetString());
        Assert.True(fresh.Data.GetProperty("active").GetBoolean());

        // The page left behind still reads and themes by its id, and says it is not the active one.
        var overlay = await client.GetJsonAsync(m.Layout(m.LayoutId));
        Assert.Equal(200, overlay.Status);
        Assert.False(overlay.Data.GetProperty("active").GetBoolean());
        Assert.Equal("#112233", overlay.Data.GetProperty("primaryColor").GetString());

        // Theme Embedded differently, switch back: the original layout with its own theme.
        Assert.Equal(200, (await client.PatchJsonAsync(m.Layout(embeddedId), new { primaryColor = "#445566" }, Http.NewKey())).Status);
        var back = await client.PutJsonAsync(m.Page, new { layout_type = "Overlay" }, Http.NewKey());
        Assert.Equal(200, back.Status);
        Assert.Equal(m.LayoutId, Id(back.Data));
        var original = await client.GetJsonAsync(m.Layout(m.LayoutId));
        Assert.Equal("#112233", original.Data.GetProperty("primaryColor").GetString());
        Assert.Equal(3, original.Data.GetProperty("borderRadius").GetInt64());
        Assert.True(original.Data.GetProperty("active").GetBoolean());
        var account = await client.GetJsonAsync($"/v1/partnership/accounts/{m.AccountId}");
        Assert.Equal(m.LayoutId, Id(account.Data.GetProperty("pages")[0]));

        // And again: the Embedded layout is the one themed before, not a new one.
        var again = await client.PutJsonAsync(m.Page, new { layout_type = "Embedded" }, Http.NewKey());
        Assert.Equal(embeddedId, Id(again.Data));
        Assert.Equal("#445566", (await client.GetJsonAsync(m.Layout(embeddedId))).Data.GetProperty("primaryColor").GetString());
        Assert.Equal(again.Data.ToString(), (await client.GetJsonAsync(m.Page)).Data.ToString());
        Assert.Equal(2, await StoreSnapshot.CountAsync(Server.Database, "layouts", "page_id = @PageId", new { m.PageId }));
        Assert.Equal(3, await SwitchEventsAsync(m.AccountId));
    }

    [Fact]
    public async Task A_dry_run_switch_answers_as_the_real_one_would_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var dry = await client.PutJsonAsync(m.Page + "?dry_run=true", new { layout_type = "Embedded" }, Http.NewKey());
        Assert.Equal(200, dry.Status);
        Assert.Equal("true", dry.Header("Dry-Run"));
        Assert.Null(dry.Header("X-Operation-Id"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
        Assert.Equal("Overlay", (await client.GetJsonAsync(m.Page)).Data.GetProperty("layout_type").GetString());

        var real = await client.PutJsonAsync(m.Page, new { layout_type = "Embedded" }, Http.NewKey());
        Assert.Equal(dry.Data.ToString(), real.Data.ToString()); // the would-be layout id included
    }

    [Fact]
    public async Task A_replayed_switch_returns_the_stored_answer_and_a_switch_to_the_active_type_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        var key = Http.NewKey();
        var switched = await client.PutJsonAsync(m.Page, new { layout_type = "Embedded" }, key);
        Assert.Equal(200, switched.Status);
        var replay = await client.PutJsonAsync(m.Page, new { layout_type = "Embedded" }, key);
        Assert.Equal(200, replay.Status);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(switched.Data.ToString(), replay.Data.ToString());
        Assert.Equal(1, await SwitchEventsAsync(m.AccountId));

        // The PUT of the state the page already has: 200 with the page as it is, no change and no event.
        var before = await StoreSnapshot.TakeAsync(Server.Database, "pages", "layouts", "events");
        var same = await client.PutJsonAsync(m.Page, new { layout_type = "Embedded" }, Http.NewKey());
        Assert.Equal(200, same.Status);
        Assert.Equal(switched.Data.ToString(), same.Data.ToString());
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, "pages", "layouts", "events"));
    }

    [Theory]
    [InlineData("""{"layout_type": "Sideways"}""", "layout_type")]
    [InlineData("""{"layout_type": "embedded"}""", "layout_type")]
    [InlineData("""{"layout_type": null}""", "layout_type")]
    [InlineData("""{}""", "layout_type")]
    [InlineData("""{"layout_type": "Embedded", "layoutId": "x"}""", "layoutId")]
    public async Task A_bad_switch_body_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(m.Page, body, Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task An_unknown_page_or_another_accounts_page_is_404_and_another_platforms_account_is_403()
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        var other = await RegisterAsync(client, PlatformId);
        using var mcc = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var body = new { layout_type = "Embedded" };
        foreach (var path in new[] { $"/v1/partnership/accounts/{m.AccountId}/pages/{Guid.NewGuid()}", $"/v1/partnership/accounts/{m.AccountId}/pages/{other.PageId}" })
        {
            var put = await client.PutJsonAsync(path, body, Http.NewKey());
            Assert.Equal(404, put.Status);
            Assert.Equal("NotFound", put.Error);
            Assert.Equal(404, (await client.GetJsonAsync(path)).Status);
        }
        Assert.Equal(403, (await mcc.PutJsonAsync(m.Page, body, Http.NewKey())).Status);
        Assert.Equal(403, (await mcc.GetJsonAsync(m.Page)).Status);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Layout_responses_name_their_id_layout_id_and_their_page_page_id()
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        foreach (var reply in new[] { await client.GetJsonAsync(m.Layout(m.LayoutId)), await client.PatchJsonAsync(m.Layout(m.LayoutId), new { textColor = "#000" }, Http.NewKey()) })
        {
            Assert.Equal(200, reply.Status);
            Assert.Equal(m.LayoutId, reply.Data.GetProperty("layout_id").GetString());
            Assert.Equal(m.PageId, reply.Data.GetProperty("page_id").GetString());
            Assert.Equal(m.AccountId, reply.Data.GetProperty("account_id").GetString());
            Assert.Equal("Overlay", reply.Data.GetProperty("layout_type").GetString());
            Assert.False(reply.Data.TryGetProperty("layoutId", out _));
            Assert.False(reply.Data.TryGetProperty("pageId", out _));
        }
    }

    [Fact]
    public async Task On_a_new_merchant_a_write_of_what_each_GET_returned_is_accepted_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var m = await RegisterAsync(client, PlatformId);
        var a = $"/v1/partnership/accounts/{m.AccountId}";

        // Controls: seed 001's recipe on the GET as it is, with its ETag as If-Match.
        var controls = await client.GetJsonAsync(a + "/marketplacecontrolslists");
        Assert.Equal("Acme Outdoor controls", controls.Data.GetProperty("name").GetString());
        var hash = controls.Data.GetProperty("contentHash").GetString()!;
        var put = await client.PutJsonAsync(a + "/marketplacecontrolslists", new Dictionary<string, object?>
        {
            ["name"] = controls.Data.GetProperty("name").GetString(),
            ["blockedVerticals"] = controls.Data.GetProperty("blockedVerticals"),
            ["domains"] = controls.Data.GetProperty("domains"),
            ["contentHash"] = hash,
        }, Http.NewKey(), new Dictionary<string, string> { ["If-Match"] = controls.Header("ETag")! });
        Assert.True(put.Status == 200, put.ToString());
        Assert.Equal(hash, put.Data.GetProperty("contentHash").GetString());

        var status = await client.GetJsonAsync(a + "/status");
        var statusPut = await client.PutJsonAsync(a + "/status", new { status = status.Data.GetProperty("status").GetString() }, Http.NewKey());
        Assert.Equal(200, statusPut.Status);
        Assert.Equal(status.Data.ToString(), statusPut.Data.ToString());

        var layout = await client.GetJsonAsync(m.Layout(m.LayoutId));
        var theme = new[] { "primaryColor", "backgroundColor", "textColor", "closeButtonColor", "borderRadius" }
            .ToDictionary(t => t, t => (object?)layout.Data.GetProperty(t));
        var patched = await client.PatchJsonAsync(m.Layout(m.LayoutId), theme, Http.NewKey());
        Assert.Equal(200, patched.Status);
        Assert.All(theme.Keys, t => Assert.Equal(layout.Data.GetProperty(t).ToString(), patched.Data.GetProperty(t).ToString()));

        var page = await client.GetJsonAsync(m.Page);
        var pagePut = await client.PutJsonAsync(m.Page, new { layout_type = page.Data.GetProperty("layout_type").GetString() }, Http.NewKey());
        Assert.Equal(200, pagePut.Status);
        Assert.Equal(page.Data.ToString(), pagePut.Data.ToString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePageLayoutTests(SqliteServerFixture f) : PageLayoutTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPageLayoutTests(PostgresServerFixture f) : PageLayoutTests(f);
