using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

public abstract class RegistrationTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string PlatformId => Server.DemoOne.PlatformParentAccountId;
    private const string Register = "/v1/accounts/register/partnership";

    [Fact]
    public async Task A_merchant_registers_with_pages_and_reads_back()
    {
        using var client = await Server.DemoClientAsync();
        var body = Http.Registration(PlatformId, pages: new object[]
        {
            new { surface = "confirmation", layout_type = "Overlay" }, new { surface = "tracking", layout_type = "Embedded" },
        });
        var reply = await client.PostJsonAsync(Register, body);
        Assert.Equal(201, reply.Status);
        var accountId = reply.Data.GetProperty("account_id").GetString()!;
        Assert.Equal("active", reply.Data.GetProperty("status").GetString());
        var pages = reply.Data.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal(2, pages.Count);
        Assert.Contains(pages, p => p.GetProperty("page_identifier").GetString() == "confirmation_page");
        Assert.All(pages, p => Assert.True(Guid.TryParse(p.GetProperty("layout_id").GetString(), out _)));
        Assert.NotNull(reply.Header("X-Operation-Id"));

        var read = await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}");
        Assert.Equal(200, read.Status);
        Assert.Equal(accountId, read.Data.GetProperty("account_id").GetString());
        Assert.Equal(1610, read.Data.GetProperty("sub_vertical_id").GetInt64());
        Assert.Equal(2, read.Data.GetProperty("pages").GetArrayLength());
        Http.AssertNoNetworkFields(read.Json);

        Assert.Equal(2, await StoreSnapshot.CountAsync(Server.Database, "page_variants", "account_id = @accountId AND status = 'active'", new { accountId }));
        Assert.Equal(2, await StoreSnapshot.CountAsync(Server.Database, "layouts", "account_id = @accountId", new { accountId }));
    }

    [Fact]
    public async Task Registering_the_same_external_id_again_returns_the_original_account()
    {
        using var client = await Server.DemoClientAsync();
        var body = Http.Registration(PlatformId);
        var first = await client.PostJsonAsync(Register, body);
        var second = await client.PostJsonAsync(Register, body);
        Assert.Equal(201, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(first.Data.GetProperty("account_id").GetString(), second.Data.GetProperty("account_id").GetString());
        Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "accounts", "external_account_id = @e", new { e = body["external_account_id"] }));
    }

    [Fact]
    public async Task The_same_external_id_with_another_store_is_a_409_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var body = Http.Registration(PlatformId);
        Assert.Equal(201, (await client.PostJsonAsync(Register, body)).Status);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        body["store_identifier"] = "https://another-store.example.com";
        var reply = await client.PostJsonAsync(Register, body);
        Assert.Equal(409, reply.Status);
        Assert.Equal("Conflict", reply.Error);
        Assert.Contains("store_identifier", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task An_unmapped_category_is_a_400_before_anything_is_created()
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var body = Http.Registration(PlatformId);
        body["sub_vertical_id"] = 9999;
        var reply = await client.PostJsonAsync(Register, body);
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Contains("sub_vertical_id", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Dry_run_registration_is_rejected_and_creates_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database, [.. StoreSnapshot.StateTables, "operations"]);
        var reply = await client.PostJsonAsync(Register + "?dry_run=true", Http.Registration(PlatformId));
        Assert.Equal(400, reply.Status);
        Assert.Contains("dry_run", reply.DetailFields);
        Assert.Null(reply.Header("X-Operation-Id"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, [.. StoreSnapshot.StateTables, "operations"]));
    }

    [Theory]
    [InlineData("brand", null, "brand")]
    [InlineData("brand", "", "brand")]
    [InlineData("vertical_id", "1500", "vertical_id")]
    [InlineData("sub_vertical_id", -1, "sub_vertical_id")]
    [InlineData("country_code", "XX", "country_code")]
    [InlineData("country_code", "usa", "country_code")]
    [InlineData("store_identifier", "shop.example.com", "store_identifier")]
    [InlineData("external_account_id", "", "external_account_id")]
    [InlineData("contact_email", "not-an-email", "contact_email")]
    [InlineData("platform_parent_account_id", null, "platform_parent_account_id")]
    [InlineData("unexpected", 1, "unexpected")]
    public async Task Each_bad_registration_field_is_a_400_naming_it_and_stores_nothing(string field, object? value, string named)
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var body = Http.Registration(PlatformId);
        if (value is null) body.Remove(field); else body[field] = value;
        var reply = await client.PostJsonAsync(Register, body);
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Contains(named, reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task A_bare_host_store_identifier_says_it_is_not_a_valid_URL()
    {
        using var client = await Server.DemoClientAsync();
        var body = Http.Registration(PlatformId);
        body["store_identifier"] = "shop.example.com";
        var reply = await client.PostJsonAsync(Register, body);
        Assert.Equal(400, reply.Status);
        Assert.Contains("store_identifier shop.example.com is not a valid URL", reply.Body);
    }

    [Fact]
    public async Task A_bad_page_entry_is_named_by_index()
    {
        using var client = await Server.DemoClientAsync();
        var body = Http.Registration(PlatformId, pages: new object[] { new { surface = "checkout", layout_type = "Overlay" } });
        var reply = await client.PostJsonAsync(Register, body);
        Assert.Equal(400, reply.Status);
        Assert.Contains(reply.DetailFields, f => f.StartsWith("pages[0]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Registering_for_another_platform_is_forbidden()
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PostJsonAsync(Register, Http.Registration(Server.DemoMcc.PlatformParentAccountId));
        Assert.Equal(403, reply.Status);
        Assert.Contains("platform_parent_account_id", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Another_platforms_account_is_403_an_unknown_one_404_and_a_revoked_relationship_403()
    {
        using var one = await Server.DemoClientAsync();
        using var mcc = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var accountId = await one.RegisterAsync(PlatformId);

        var other = await mcc.GetJsonAsync($"/v1/partnership/accounts/{accountId}");
        Assert.Equal(403, other.Status);
        Assert.Equal("Forbidden", other.Error);
        Assert.Equal(404, (await one.GetJsonAsync($"/v1/partnership/accounts/{Guid.NewGuid()}")).Status);

        using var admin = Server.AdminClient();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{accountId}/relationship/revoke", null)).Status);
        Assert.Equal(403, (await one.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);
        var write = await one.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
        Assert.Equal(403, write.Status);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{accountId}/relationship/restore", null)).Status);
        Assert.Equal(200, (await one.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);
    }

    [Fact]
    public async Task The_partner_mapping_list_shows_partner_ids_and_names_only()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.GetJsonAsync("/v1/partnership/vertical-mappings");
        Assert.Equal(200, reply.Status);
        var rows = reply.Data.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.Contains(rows, r => r.GetProperty("partnerSubVerticalId").GetInt64() == 1610);
        Http.AssertNoNetworkFields(reply.Json);
        foreach (var row in rows)
        {
            Assert.Equal(["partnerSubVerticalId", "partnerSubVerticalName", "partnerVerticalId", "partnerVerticalName"],
                row.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteRegistrationTests(SqliteServerFixture f) : RegistrationTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresRegistrationTests(PostgresServerFixture f) : RegistrationTests(f);
