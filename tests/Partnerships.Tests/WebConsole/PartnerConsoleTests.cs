using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Partnerships.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Partnerships.Tests.WebConsole;

/// <summary>
/// The partner side of the console in a real browser: sign-in, the controls' dry-run preview, a save that a second
/// submission of the same form replays, the 409 of a stale edit and its re-apply, the status cascade, the layout theme and
/// taxonomy coverage. Every action goes through the public API (the audit log and operations show it), and the client
/// secret never appears in a page.
/// </summary>
public abstract class PartnerConsoleTests
{
    private readonly ConsoleBrowserFixture _fixture;
    private readonly ITestOutputHelper _output;

    protected PartnerConsoleTests(ConsoleBrowserFixture fixture, ITestOutputHelper output)
    {
        (_fixture, _output) = (fixture, output);
    }

    private TestServer Server => _fixture.Server;
    private Browser B => _fixture.Browser;
    private string Secret => Server.DemoOne.ClientSecret;

    private static string ControlsPath(string account) => $"/v1/partnership/accounts/{account}/marketplacecontrolslists";

    [Fact]
    public void A_partner_signs_in_with_client_credentials_and_a_wrong_secret_is_refused_with_a_message()
    {
        B.Reset(Server.BaseAddress);
        B.Open(Server.BaseAddress, "/console/partner/sign-in");
        B.Fill("Client id", Server.DemoOne.ClientId);
        B.Fill("Client secret", "rsec_not-the-secret");
        B.Click("Sign in");
        B.ShouldSee("Client id or secret not accepted");
        Assert.DoesNotContain("rsec_not-the-secret", B.Driver.PageSource);
        B.Screenshot("partner-sign-in-refused");

        SignIn();
        Assert.EndsWith("/console/partner", B.Url);
        B.ShouldSee("Merchants");
        NoSecret();
    }

    [Fact]
    public async Task The_merchants_page_lists_the_platforms_merchants_and_links_their_pages()
    {
        var account = await RegisterAsync("Harbour Books");
        SignIn();
        B.Open(Server.BaseAddress, "/console/partner");
        B.ShouldSee("Harbour Books");
        Assert.NotNull(B.FindAll($"a[href='/console/partner/merchants/{account}/controls']").SingleOrDefault());
        B.Screenshot("partner-merchants");
        NoSecret();
    }

    [Fact]
    public async Task Preview_shows_the_pairs_and_translated_verticals_a_change_would_touch_and_save_writes_it_once_even_when_submitted_twice()
    {
        var account = await RegisterAsync("Trailhead Outfitters");
        using var api = await Server.DemoClientAsync();
        var hashBefore = (await api.GetJsonAsync(ControlsPath(account))).Data.GetProperty("contentHash").GetString();
        SignIn();
        B.Open(Server.BaseAddress, $"/console/partner/merchants/{account}/controls");
        B.ShouldSee("Controls of Trailhead Outfitters");
        B.Screenshot("partner-controls");

        Choose("pair_1500_1610", "Block");
        B.Fill("Add a domain", "Competitor.Example.com");
        B.Click("Preview");
        var pairs = B.Find("#preview-pairs").Text;
        Assert.Contains("blocked", pairs);
        Assert.Contains("Alcohol › Beer", pairs);
        // Craft Beer maps to the network sub-vertical Beer does: its effective policy changes too, Wine's does not.
        var effective = B.Find("#preview-effective").Text;
        Assert.Contains("Alcohol › Beer", effective);
        Assert.Contains("Alcohol › Craft Beer", effective);
        Assert.DoesNotContain("Wine", effective);
        Assert.Contains("competitor.example.com", B.Find("#preview-domains").Text);
        Assert.NotEqual(hashBefore, B.Find("#preview-hash").Text);
        B.Screenshot("partner-controls-preview");
        // A preview writes nothing.
        Assert.Equal(hashBefore, (await api.GetJsonAsync(ControlsPath(account))).Data.GetProperty("contentHash").GetString());

        RememberForm("#controls-form");
        B.Click("Save");
        B.ShouldSee("Saved.");
        var operation = B.Find("#saved-operation").Text;
        var hash = B.Find("#saved-hash").Text;
        B.Screenshot("partner-controls-saved");

        var op = await api.GetJsonAsync($"/v1/partnership/operations/{operation}");
        Assert.Equal(200, op.Status);
        Assert.Equal("completed", op.Data.GetProperty("status").GetString());
        var stored = (await api.GetJsonAsync(ControlsPath(account))).Data;
        Assert.Equal(hash, stored.GetProperty("contentHash").GetString());
        Assert.Equal("Block", stored.GetProperty("translated_verticals").EnumerateArray().Single(v => v.GetProperty("vertical_id").GetInt64() == 1612).GetProperty("policy").GetString());

        // The same form submitted again (a double click, a refresh) replays: the same operation and hash, nothing written twice.
        ResubmitRememberedForm("Save");
        B.ShouldSee("Replayed:");
        Assert.Equal(operation, B.Find("#saved-operation").Text);
        Assert.Equal(hash, B.Find("#saved-hash").Text);
        B.Screenshot("partner-controls-replayed");

        var writes = (await AuditAsync(account)).Where(e => e.GetProperty("path").GetString() == ControlsPath(account) && !e.GetProperty("dry_run").GetBoolean()).ToList();
        Assert.Equal(["committed", "replayed"], writes.Select(e => e.GetProperty("outcome").GetString()).Order());
        Assert.Single(writes.Select(e => e.GetProperty("idempotency_key").GetString()).Distinct());
        Assert.Equal(hash, (await api.GetJsonAsync(ControlsPath(account))).Data.GetProperty("contentHash").GetString());
        NoSecret();
    }

    [Fact]
    public async Task A_stale_edit_shows_what_changed_meanwhile_and_re_applies_on_the_fresh_state()
    {
        var account = await RegisterAsync("Lakeside Cellars");
        using var api = await Server.DemoClientAsync();
        SignIn();
        B.Open(Server.BaseAddress, $"/console/partner/merchants/{account}/controls");
        Choose("pair_1502_1620", "Block");

        // Someone else blocks Wine through the API after the form was rendered.
        var current = (await api.GetJsonAsync(ControlsPath(account))).Data;
        var meanwhile = await api.PutJsonAsync(ControlsPath(account), new
        {
            name = current.GetProperty("name").GetString(),
            blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = 1611, policy = "Block" } },
            domains = Array.Empty<object>(), contentHash = current.GetProperty("contentHash").GetString(),
        }, Http.NewKey());
        Assert.Equal(200, meanwhile.Status);

        B.Click("Save");
        var stale = B.Find("#stale").Text;
        Assert.Contains("(409)", stale);
        Assert.Contains("Alcohol › Wine", B.Find("#meantime-pairs").Text);
        B.Screenshot("partner-controls-409");

        B.Click("Preview");
        var preview = B.Find("#preview-pairs").Text;
        Assert.Contains("Tobacco › Cigars", preview);
        Assert.DoesNotContain("Wine", preview);
        B.Click("Save");
        B.ShouldSee("Saved.");
        B.Screenshot("partner-controls-reapplied");

        var blocked = (await api.GetJsonAsync(ControlsPath(account))).Data.GetProperty("blockedVerticals").EnumerateArray()
            .Select(v => v.GetProperty("partnerSubVerticalId").GetInt64()).Order().ToList();
        Assert.Equal([1611L, 1620L], blocked);
        NoSecret();
    }

    [Fact]
    public async Task Pausing_lists_the_variants_it_cascades_to_before_it_is_confirmed()
    {
        var account = await RegisterAsync("Northwind Tea", pages: [new { surface = "confirmation", layout_type = "Overlay" }, new { surface = "tracking", layout_type = "Embedded" }]);
        using var api = await Server.DemoClientAsync();
        SignIn();
        B.Open(Server.BaseAddress, $"/console/partner/merchants/{account}/status");
        B.Click("Pause…");
        var cascade = B.FindAll("#cascade-variants tbody tr").Select(r => r.Text).ToList();
        Assert.Equal(2, cascade.Count);
        Assert.All(cascade, row => Assert.EndsWith("active paused", row));
        Assert.Equal("active", (await api.GetJsonAsync($"/v1/partnership/accounts/{account}/status")).Data.GetProperty("status").GetString());
        B.Screenshot("partner-status-cascade");

        B.Click("Confirm: pause");
        B.ShouldSee("the merchant is now paused");
        var status = (await api.GetJsonAsync($"/v1/partnership/accounts/{account}/status")).Data;
        Assert.Equal("paused", status.GetProperty("status").GetString());
        Assert.All(status.GetProperty("variants").EnumerateArray(), v => Assert.Equal("paused", v.GetProperty("status").GetString()));
        B.Screenshot("partner-status-paused");
        NoSecret();
    }

    [Fact]
    public async Task The_layout_theme_previews_its_colours_as_they_are_typed_and_from_a_dry_run_without_script()
    {
        var account = await RegisterAsync("Copper Kettle");
        using var api = await Server.DemoClientAsync();
        var layout = (await api.GetJsonAsync($"/v1/partnership/accounts/{account}")).Data.GetProperty("pages")[0].GetProperty("layout_id").GetString();
        SignIn();
        B.Open(Server.BaseAddress, $"/console/partner/merchants/{account}/layouts/{layout}");
        B.Fill("Primary colour", "#aa3300");
        // The script recolours the sample as the field changes.
        new WebDriverWait(B.Driver, TimeSpan.FromSeconds(10)).Until(_ =>
            B.Find("#theme-sample").GetAttribute("style")?.Replace(" ", "").Contains("--theme-primary:#aa3300") == true);
        B.Screenshot("partner-layout-live-preview");

        B.Fill("Border radius (pixels, 0–64)", "12");
        B.Click("Preview");
        B.ShouldSee("Preview from a dry-run");
        Assert.Contains("--theme-radius:12px", B.Find("#theme-sample").GetAttribute("style")?.Replace(" ", ""));
        Assert.NotEqual("#aa3300", (await api.GetJsonAsync($"/v1/partnership/accounts/{account}/layouts/{layout}")).Data.GetProperty("primaryColor").GetString());
        B.Click("Save");
        B.ShouldSee("Saved.");
        var stored = (await api.GetJsonAsync($"/v1/partnership/accounts/{account}/layouts/{layout}")).Data;
        Assert.Equal(("#aa3300", 12L), (stored.GetProperty("primaryColor").GetString(), stored.GetProperty("borderRadius").GetInt64()));
        B.Screenshot("partner-layout-saved");
        NoSecret();
    }

    [Fact]
    public void Coverage_of_a_pasted_list_names_the_unmapped_pair_and_the_line_that_does_not_parse()
    {
        SignIn();
        B.Open(Server.BaseAddress, "/console/partner/coverage");
        B.Fill("Paste the list", string.Join("\n",
            "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name",
            "1500,1610,Alcohol,Beer",
            "1500,1611,Alcohol,Wine",
            "1502,1699,Tobacco,Pipe Tobacco",
            "1500,abc,Alcohol,Mead"));
        B.Click("Check coverage");
        var unmapped = B.Find("#line-4").Text;
        Assert.Contains("not mapped yet", unmapped);
        Assert.Contains("{1502, 1699}", unmapped);
        var malformed = B.Find("#line-5").Text;
        Assert.Contains("not readable", malformed);
        Assert.Contains("'abc' is not a positive integer", malformed);
        Assert.Contains("mapped", B.Find("#line-2").Text);
        B.Screenshot("partner-coverage");

        // The same check from an uploaded file.
        var file = Path.Combine(Path.GetTempPath(), $"categories-{Guid.NewGuid():N}.csv");
        File.WriteAllText(file, "vertical_id,sub_vertical_id,name\n1502,1620,Cigars\n1502,1621,Pipes\n");
        try
        {
            B.Field("Or upload a CSV file").SendKeys(file);
            B.Click("Check coverage");
            B.ShouldSee(Path.GetFileName(file) + ", line by line");
            Assert.Contains("mapped", B.Find("#line-2").Text);
            Assert.Contains("not mapped yet", B.Find("#line-3").Text);
        }
        finally
        {
            File.Delete(file);
        }
        NoSecret();
    }

    [Fact]
    public async Task Every_partner_page_renders_fast_on_the_demo_data()
    {
        using var api = await Server.DemoClientAsync();
        var accounts = new List<string>();
        for (var i = 0; i < 30; i++) accounts.Add(await RegisterAsync($"Demo Merchant {i:00}", api));
        var account = accounts[^1];
        var layout = (await api.GetJsonAsync($"/v1/partnership/accounts/{account}")).Data.GetProperty("pages")[0].GetProperty("layout_id").GetString();
        using var console = new ConsoleHttp(Server.BaseAddress);
        var signIn = await console.SignInPartnerAsync(Server.DemoOne.ClientId, Secret);
        Assert.Equal(302, (int)signIn.Status);

        var pages = new[]
        {
            ("merchants", "/console/partner", "Demo Merchant 29"), ("controls", $"/console/partner/merchants/{account}/controls", "Controls of Demo Merchant 29"),
            ("status", $"/console/partner/merchants/{account}/status", "Status of Demo Merchant 29"),
            ("layout", $"/console/partner/merchants/{account}/layouts/{layout}", "Layout theme"),
            ("coverage", "/console/partner/coverage", "Taxonomy coverage"),
        };
        // More merchants than a page holds: the first page links the next, which holds the oldest.
        var firstPage = await console.GetAsync("/console/partner");
        var next = System.Text.RegularExpressions.Regex.Match(firstPage.Html, "href=\"([^\"]+)\" rel=\"next\"");
        Assert.True(next.Success, "the first page links a next page");
        var secondPage = await console.GetAsync(System.Net.WebUtility.HtmlDecode(next.Groups[1].Value));
        Assert.Contains("Demo Merchant 00", secondPage.Html);
        Assert.DoesNotContain("Demo Merchant 29", secondPage.Html);

        // The second demo platform maps every merchant category code (981 pairs): its controls list the listed ones and search the rest.
        using var mccApi = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var mccBody = Http.Registration(Server.DemoMcc.PlatformParentAccountId);
        mccBody["vertical_id"] = 5800;
        mccBody["sub_vertical_id"] = 5812;
        mccBody["brand"] = "Corner Bistro";
        var mccAccount = (await mccApi.PostJsonAsync("/v1/accounts/register/partnership", mccBody)).Data.GetProperty("account_id").GetString();
        using var mccConsole = new ConsoleHttp(Server.BaseAddress);
        Assert.Equal(302, (int)(await mccConsole.SignInPartnerAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret)).Status);

        var lines = new List<string>();
        foreach (var (name, path, shows, session) in pages.Select(p => (p.Item1, p.Item2, p.Item3, console)).Concat(
            [("controls, 981 mapped categories", $"/console/partner/merchants/{mccAccount}/controls", "Controls of Corner Bistro", mccConsole),
             ("controls, 981 mapped categories, search", $"/console/partner/merchants/{mccAccount}/controls?q=restaurant", "Eating places and Restaurants", mccConsole)]))
        {
            lines.Add(await PageTimes.MeasureAsync(session, name, path, shows, Secret, Server.DemoMcc.ClientSecret));
        }
        await PageTimes.WriteAsync(_fixture.Kind, "partner", lines);
        foreach (var line in lines) _output.WriteLine(line);
    }

    /// <summary>Signs in unless the browser still holds a partner session (a session lasts as long as its token).</summary>
    private void SignIn()
    {
        B.Open(Server.BaseAddress, "/console/partner");
        if (new Uri(B.Url).AbsolutePath == "/console/partner" && B.FindAll("form.sign-out").Count > 0) return;
        B.Reset(Server.BaseAddress);
        B.Open(Server.BaseAddress, "/console/partner/sign-in");
        B.Fill("Client id", Server.DemoOne.ClientId);
        B.Fill("Client secret", Secret);
        B.Click("Sign in");
        B.ShouldSee("Merchants");
    }

    private void NoSecret() => Assert.DoesNotContain(Secret, B.Driver.PageSource);

    private void Choose(string selectId, string value) => B.Find($"#{selectId} option[value='{value}']").Click();

    /// <summary>Keeps the fields of the form as it is now, to post them once more later exactly as a second click would.</summary>
    private void RememberForm(string css) => B.Driver.ExecuteScript(
        "const f = document.querySelector(arguments[0]); sessionStorage.setItem('remembered', JSON.stringify([...new FormData(f)]));", css);

    private void ResubmitRememberedForm(string handler)
    {
        var page = B.Driver.FindElement(By.TagName("html"));
        B.Driver.ExecuteScript("""
            const f = document.createElement('form');
            f.method = 'post';
            f.action = location.pathname + '?handler=' + arguments[0];
            for (const [k, v] of JSON.parse(sessionStorage.getItem('remembered'))) {
              const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i);
            }
            document.body.appendChild(f);
            f.submit();
            """, handler);
        new WebDriverWait(B.Driver, TimeSpan.FromSeconds(15)).Until(driver =>
        {
            try { _ = page.Enabled; return false; }
            catch (StaleElementReferenceException) { return B.Driver.ExecuteScript("return document.readyState")?.ToString() == "complete"; }
        });
    }

    private async Task<string> RegisterAsync(string brand, HttpClient? client = null, object[]? pages = null)
    {
        var own = client is null ? await Server.DemoClientAsync() : null;
        try
        {
            var body = Http.Registration(Server.DemoOne.PlatformParentAccountId, pages: pages);
            body["brand"] = brand;
            var reply = await (client ?? own!).PostJsonAsync("/v1/accounts/register/partnership", body);
            Assert.Equal(201, reply.Status);
            return reply.Data.GetProperty("account_id").GetString()!;
        }
        finally
        {
            own?.Dispose();
        }
    }

    private async Task<List<JsonElement>> AuditAsync(string account)
    {
        using var admin = Server.AdminClient();
        var reply = await admin.GetJsonAsync($"/admin/v1/audit?account_id={account}&limit=100");
        Assert.Equal(200, reply.Status);
        return reply.Data.EnumerateArray().ToList();
    }
}

public sealed class SqlitePartnerConsoleTests(SqliteConsoleBrowserFixture fixture, ITestOutputHelper output)
    : PartnerConsoleTests(fixture, output), IClassFixture<SqliteConsoleBrowserFixture>;

public sealed class PostgresPartnerConsoleTests(PostgresConsoleBrowserFixture fixture, ITestOutputHelper output)
    : PartnerConsoleTests(fixture, output), IClassFixture<PostgresConsoleBrowserFixture>;
