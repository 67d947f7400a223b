using System.Text;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

public abstract class MappingAdminTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private async Task<string> NewPlatformAsync(HttpClient admin)
    {
        var reply = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "platform-" + Guid.NewGuid().ToString("N") });
        Assert.Equal(201, reply.Status);
        return reply.Data.GetProperty("platform_parent_account_id").GetString()!;
    }

    private static async Task<Reply> PostCsvAsync(HttpClient admin, string platformId, string csv)
    {
        var response = await admin.PostAsync($"/v1/partnership/vertical-mappings?platform_parent_account_id={platformId}",
            new StringContent(csv, Encoding.UTF8, "text/csv"));
        return await Http.ReadAsync(response);
    }

    [Fact]
    public async Task Operators_load_one_row_then_a_bulk_list_and_reloading_a_row_updates_it()
    {
        using var admin = Server.AdminClient();
        var platformId = await NewPlatformAsync(admin);
        var path = $"/v1/partnership/vertical-mappings?platform_parent_account_id={platformId}";
        var one = await admin.PostJsonAsync(path, new { partnerVerticalId = 10, partnerSubVerticalId = 11, partnerSubVerticalName = "Beer", networkSubVerticalId = 1003 });
        Assert.Equal(200, one.Status);
        Assert.Equal(1, one.Data.GetProperty("inserted").GetInt32());

        var bulk = await admin.PostJsonAsync(path, new object[]
        {
            new { partnerVerticalId = 10, partnerSubVerticalId = 11, partnerSubVerticalName = "Craft beer", networkSubVerticalId = 1003 },
            new { partnerVerticalId = 10, partnerSubVerticalId = 12, networkSubVerticalId = 1003 },
        });
        Assert.Equal(200, bulk.Status);
        Assert.Equal(1, bulk.Data.GetProperty("updated").GetInt32());
        Assert.Equal(1, bulk.Data.GetProperty("inserted").GetInt32());

        var listed = await admin.GetJsonAsync($"/admin/v1/platforms/{platformId}/vertical-mappings");
        Assert.Equal(2, listed.Data.GetArrayLength());
        Assert.Equal("Craft beer", listed.Data[0].GetProperty("partner_sub_vertical_name").GetString());
        Assert.Equal(1003, listed.Data[0].GetProperty("network_sub_vertical_id").GetInt64());
    }

    [Fact]
    public async Task A_CSV_load_is_atomic_and_names_every_bad_row()
    {
        using var admin = Server.AdminClient();
        var platformId = await NewPlatformAsync(admin);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var csv = "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n" +
                  "1,2,Food,\"Bakeries, cafes\",1003\n" +
                  "1,3,Food,Unknown target,999999\n" +
                  "1,x,Food,Bad id,1003\n" +
                  "1,5,Food,Tier one target,1002\n";
        var reply = await PostCsvAsync(admin, platformId, csv);
        Assert.Equal(400, reply.Status);
        Assert.Equal(["line 3", "line 4: partner_sub_vertical_id", "line 5"], reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));

        var good = await PostCsvAsync(admin, platformId, csv.Split('\n')[0] + "\n" + csv.Split('\n')[1] + "\n");
        Assert.Equal(200, good.Status);
    }

    [Fact]
    public async Task Many_partner_pairs_may_map_to_one_network_sub_vertical()
    {
        using var admin = Server.AdminClient();
        var platformId = await NewPlatformAsync(admin);
        var reply = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/vertical-mappings", new object[]
        {
            new { partnerVerticalId = 1, partnerSubVerticalId = 2, networkSubVerticalId = 1003 },
            new { partnerVerticalId = 1, partnerSubVerticalId = 3, networkSubVerticalId = 1003 },
        });
        Assert.Equal(200, reply.Status);
    }

    [Fact]
    public async Task Operators_see_the_network_taxonomy_with_ids()
    {
        using var admin = Server.AdminClient();
        var reply = await admin.GetJsonAsync("/admin/v1/network-taxonomy");
        Assert.Equal(200, reply.Status);
        Assert.True(reply.Data.GetArrayLength() > 500);
    }

    [Fact]
    public async Task Operators_create_list_and_rotate_credentials_and_without_a_grace_the_old_secret_stops_working()
    {
        using var admin = Server.AdminClient();
        var platformId = await NewPlatformAsync(admin);
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        var clientId = issued.Data.GetProperty("client_id").GetString()!;
        var secret = issued.Data.GetProperty("client_secret").GetString()!;
        Assert.StartsWith("rspub_", clientId);
        Assert.StartsWith("rsec_", secret);
        var listed = await admin.GetJsonAsync($"/admin/v1/platforms/{platformId}/credentials");
        Assert.DoesNotContain(secret, listed.Body);

        var token = await Server.TokenAsync(clientId, secret);
        // The default rotation keeps the old secret for a grace (CredentialRotationTests); grace 0 is the emergency cut.
        var rotated = await admin.PostJsonAsync($"/admin/v1/credentials/{issued.Data.GetProperty("credential_id").GetString()}/rotate?grace_seconds=0", null);
        var newSecret = rotated.Data.GetProperty("client_secret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Server.TokenAsync(clientId, secret));
        using var old = Server.Client(token);
        Assert.Equal(401, (await old.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        Assert.NotEmpty(await Server.TokenAsync(clientId, newSecret));
    }

    [Theory]
    [InlineData("/admin/v1/platforms", """{"name": 7}""", "name")]
    [InlineData("/admin/v1/platforms", """{"name": "x", "nmae": "y"}""", "nmae")]
    [InlineData("/admin/v1/platforms", "[]", "")]
    public async Task Bad_admin_bodies_are_400_naming_the_field_and_store_nothing(string path, string body, string field)
    {
        using var admin = Server.AdminClient();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await admin.PostJsonAsync(path, body);
        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task A_webhook_without_a_url_or_a_credential_with_an_overlong_label_is_400()
    {
        using var admin = Server.AdminClient();
        var platformId = await NewPlatformAsync(admin);
        var before = await StoreSnapshot.TakeAsync(Server.Database, [.. StoreSnapshot.StateTables, "webhook_endpoints"]);
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{platformId}/webhook", new { });
        Assert.Equal(400, hook.Status);
        Assert.Contains("url", hook.DetailFields);
        var credential = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials?label={new string('x', 201)}", null);
        Assert.Equal(400, credential.Status);
        Assert.Contains("label", credential.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, [.. StoreSnapshot.StateTables, "webhook_endpoints"]));
    }

    [Fact]
    public async Task A_duplicate_platform_name_is_409_and_a_missing_name_400()
    {
        using var admin = Server.AdminClient();
        var name = "dup-" + Guid.NewGuid().ToString("N");
        Assert.Equal(201, (await admin.PostJsonAsync("/admin/v1/platforms", new { name })).Status);
        Assert.Equal(409, (await admin.PostJsonAsync("/admin/v1/platforms", new { name })).Status);
        var missing = await admin.PostJsonAsync("/admin/v1/platforms", new { });
        Assert.Equal(400, missing.Status);
        Assert.Contains("name", missing.DetailFields);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteMappingAdminTests(SqliteServerFixture f) : MappingAdminTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresMappingAdminTests(PostgresServerFixture f) : MappingAdminTests(f);
