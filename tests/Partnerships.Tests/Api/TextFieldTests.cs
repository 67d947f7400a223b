using System.Text;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Every free-text field refuses control characters, unpaired surrogates and overlong values with a 400 naming it, and stores nothing.</summary>
public abstract class TextFieldTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private const string Register = "/v1/accounts/register/partnership";
    private static string Mcl(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
    private static readonly string[] Tables = [.. StoreSnapshot.StateTables, "admin_keys", "network_categories"];

    /// <summary>
    /// JSON string literals (escaped as a client would send them) that break the text rule. Escaped lone surrogates are
    /// refused while the body is parsed, before any field is read (the strict JSON reader's tests cover them).
    /// </summary>
    public static TheoryData<string> BadJsonStrings => new()
    {
        @"""Acme\u0000Outdoor""",
        @"""Acme\r\nBcc: victim@example.com""",
        @"""Acme\nOutdoor""",
        @"""Acme\tOutdoor""",
        @"""Acme\u007f""",
        @"""Acme\u0085Outdoor""",
        @"""Acme\u2028Outdoor""",
        @"""Acme \u202egnp.exe""",
        "\"" + new string('a', 201) + "\"",
    };

    private async Task<Reply> RegisterRawAsync(HttpClient client, string brandLiteral)
    {
        var body = JsonSerializer.Serialize(Http.Registration(Server.DemoOne.PlatformParentAccountId));
        body = body.Replace("\"Acme Outdoor\"", brandLiteral, StringComparison.Ordinal);
        return await client.PostJsonAsync(Register, body);
    }

    [Theory]
    [MemberData(nameof(BadJsonStrings))]
    public async Task A_brand_with_control_characters_or_too_long_is_a_400_naming_brand_and_stores_nothing(string literal)
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database, [.. Tables, "events"]);
        var reply = await RegisterRawAsync(client, literal);
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Equal(["brand"], reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, [.. Tables, "events"]));
    }

    [Fact]
    public async Task Brands_in_any_script_with_their_marks_and_joiners_register()
    {
        using var client = await Server.DemoClientAsync();
        foreach (var brand in new[] { "אקמה \u200F(Acme)", "क्\u200Dष Traders", "👩‍👩‍👧 Family Store", new string('b', 200) })
        {
            var body = Http.Registration(Server.DemoOne.PlatformParentAccountId);
            body["brand"] = brand;
            var reply = await client.PostJsonAsync(Register, body);
            Assert.Equal(201, reply.Status);
            var account = await client.GetJsonAsync($"/v1/partnership/accounts/{reply.Data.GetProperty("account_id").GetString()}");
            Assert.Equal(brand, account.Data.GetProperty("brand").GetString());
        }
    }

    [Theory]
    [InlineData("store_identifier", @"""https://acme.example.com/\r\nX""")]
    [InlineData("contact_email", @"""owner@acme.example.com\u0000""")]
    public async Task The_other_registration_texts_filled_into_emails_refuse_control_characters_too(string field, string literal)
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database, Tables);
        var body = Http.Registration(Server.DemoOne.PlatformParentAccountId);
        var json = JsonSerializer.Serialize(body).Replace(JsonSerializer.Serialize(body[field]), literal, StringComparison.Ordinal);
        var reply = await client.PostJsonAsync(Register, json);
        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.DetailFields);
        Assert.Contains("must not contain control characters", reply.Body);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, Tables));
    }

    [Theory]
    [MemberData(nameof(BadJsonStrings))]
    public async Task A_marketplace_controls_name_that_breaks_the_rule_is_a_400_naming_name_and_changes_nothing(string literal)
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(Server.Database, Tables);
        var reply = await client.PutJsonAsync(Mcl(accountId), $$"""{"name": {{literal}}, "blockedVerticals": [], "domains": []}""", Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Equal(["name"], reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, Tables));
    }

    [Fact]
    public async Task Mapping_names_that_break_the_rule_reject_a_JSON_or_CSV_load_naming_the_row_and_field()
    {
        using var admin = Server.AdminClient();
        var platformId = (await admin.PostJsonAsync("/admin/v1/platforms", new { name = "text-" + Guid.NewGuid().ToString("N") }))
            .Data.GetProperty("platform_parent_account_id").GetString()!;
        var path = $"/v1/partnership/vertical-mappings?platform_parent_account_id={platformId}";
        var before = await StoreSnapshot.TakeAsync(Server.Database, Tables);

        var json = await admin.PostJsonAsync(path, """
            [{"partnerVerticalId": 1, "partnerSubVerticalId": 2, "partnerVerticalName": "Food", "partnerSubVerticalName": "Beer", "networkSubVerticalId": 1003},
             {"partnerVerticalId": 1, "partnerSubVerticalId": 3, "partnerVerticalName": "Food\u0000", "partnerSubVerticalName": "Wine\r\nCider", "networkSubVerticalId": 1003}]
            """);
        Assert.Equal(400, json.Status);
        Assert.Equal(["[1].partnerSubVerticalName", "[1].partnerVerticalName"], json.DetailFields.Order(StringComparer.Ordinal));

        var csv = "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n" +
                  "1,2,Food,Beer,1003\n" +
                  "1,3,Food,\"Wine\nCider\",1003\n" +
                  "1,4,Food\u0007,Spirits,1003\n";
        var response = await admin.PostAsync(path, new StringContent(csv, Encoding.UTF8, "text/csv"));
        var reply = await Http.ReadAsync(response);
        Assert.Equal(400, reply.Status);
        Assert.Equal(["line 3: partner_sub_vertical_name", "line 5: partner_vertical_name"], reply.DetailFields);
        Assert.Contains("U+000A", reply.Body);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, Tables));
    }

    [Fact]
    public async Task A_taxonomy_name_that_breaks_the_rule_rejects_the_TSV_naming_its_line()
    {
        using var admin = Server.AdminClient();
        var before = await StoreSnapshot.TakeAsync(Server.Database, Tables);
        var tsv = "Unique ID\tParent ID\tName\n1\t\tShopping\n2\t1\tBooks\u0000\n3\t1\t" + new string('x', 201) + "\n4\t1\tMusic\u202E\n";
        var response = await admin.PutAsync("/admin/v1/network-taxonomy", new StringContent(tsv, Encoding.UTF8, "text/tab-separated-values"));
        var reply = await Http.ReadAsync(response);
        Assert.Equal(400, reply.Status);
        Assert.Equal(["line 3", "line 4", "line 5"], reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, Tables));
    }

    [Theory]
    [InlineData("Acme\nPlatform")]
    [InlineData("Acme\u0000")]
    [InlineData("Acme\u202E")]
    public async Task A_platform_name_or_credential_label_that_breaks_the_rule_is_a_400_naming_it(string text)
    {
        using var admin = Server.AdminClient();
        var before = await StoreSnapshot.TakeAsync(Server.Database, Tables);
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = text });
        Assert.Equal(400, platform.Status);
        Assert.Equal(["name"], platform.DetailFields);
        var credential = await admin.PostJsonAsync(
            $"/admin/v1/platforms/{Server.DemoOne.PlatformParentAccountId}/credentials?label={Uri.EscapeDataString(text)}", null);
        Assert.Equal(400, credential.Status);
        Assert.Equal(["label"], credential.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, Tables));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTextFieldTests(SqliteServerFixture f) : TextFieldTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTextFieldTests(PostgresServerFixture f) : TextFieldTests(f);
