using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

public abstract class ResourceTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string PlatformId => Server.DemoOne.PlatformParentAccountId;

    [Fact]
    public async Task Pausing_an_account_cascades_to_every_non_archived_variant_in_one_write()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId, new object[]
        {
            new { surface = "confirmation", layout_type = "Overlay" }, new { surface = "tracking", layout_type = "Embedded" },
        });
        // An archived variant stays archived through the cascade.
        await using (var s = await Partnerships.Storage.DbSession.WriteAsync(Server.Database))
        {
            var variants = await Partnerships.Storage.Stores.PageStore.ListVariantsAsync(s, accountId);
            await Partnerships.Storage.Stores.PageStore.SetVariantStatusAsync(s, variants[0].Id, "archived", DateTimeOffset.UtcNow);
            await s.CommitAsync();
        }
        var paused = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
        Assert.Equal(200, paused.Status);
        Assert.Equal("paused", paused.Data.GetProperty("status").GetString());
        var statuses = paused.Data.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("status").GetString()!).Order().ToArray();
        Assert.Equal(["archived", "paused"], statuses);

        var read = await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}/status");
        Assert.Equal(paused.Data.ToString(), read.Data.ToString());
    }

    [Theory]
    [InlineData("""{"status": "archived"}""", "status")]
    [InlineData("""{}""", "status")]
    [InlineData("""{"status": "active", "extra": 1}""", "extra")]
    public async Task A_bad_status_body_is_400_naming_the_field(string body, string field)
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", body, Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task A_layout_patch_is_sparse()
    {
        using var client = await Server.DemoClientAsync();
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId));
        var accountId = registration.Data.GetProperty("account_id").GetString()!;
        var layoutId = registration.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!;
        var path = $"/v1/partnership/accounts/{accountId}/layouts/{layoutId}";
        var original = await client.GetJsonAsync(path);
        var patched = await client.PatchJsonAsync(path, new { primaryColor = "#ABC" }, Http.NewKey());
        Assert.Equal(200, patched.Status);
        Assert.Equal("#aabbcc", patched.Data.GetProperty("primaryColor").GetString());
        Assert.Equal(original.Data.GetProperty("textColor").GetString(), patched.Data.GetProperty("textColor").GetString());
        Assert.Equal(original.Data.GetProperty("borderRadius").GetInt64(), patched.Data.GetProperty("borderRadius").GetInt64());
    }

    [Theory]
    [InlineData("""{"primaryColor": "red"}""", "primaryColor")]
    [InlineData("""{"borderRadius": -1}""", "borderRadius")]
    [InlineData("""{"borderRadius": 1000}""", "borderRadius")]
    [InlineData("""{"fontFamily": "Arial"}""", "fontFamily")]
    [InlineData("""{"textColor": null}""", "textColor")]
    public async Task A_bad_layout_patch_is_400_naming_the_field(string body, string field)
    {
        using var client = await Server.DemoClientAsync();
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId));
        var accountId = registration.Data.GetProperty("account_id").GetString()!;
        var layoutId = registration.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!;
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PatchJsonAsync($"/v1/partnership/accounts/{accountId}/layouts/{layoutId}", body, Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Contains(field, reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Another_accounts_layout_is_404()
    {
        using var client = await Server.DemoClientAsync();
        var first = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(PlatformId));
        var otherAccount = await client.RegisterAsync(PlatformId);
        var layoutId = first.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!;
        Assert.Equal(404, (await client.GetJsonAsync($"/v1/partnership/accounts/{otherAccount}/layouts/{layoutId}")).Status);
    }

    [Fact]
    public async Task Adding_pages_creates_them_and_a_surface_the_account_has_is_409()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        var added = await client.PostJsonAsync($"/v1/partnership/accounts/{accountId}/pages",
            new { pages = new[] { new { surface = "tracking", layout_type = "Embedded" } } }, Http.NewKey());
        Assert.Equal(201, added.Status);
        Assert.Equal("tracking_page", added.Data.GetProperty("pages")[0].GetProperty("page_identifier").GetString());

        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var again = await client.PostJsonAsync($"/v1/partnership/accounts/{accountId}/pages",
            new { pages = new[] { new { surface = "returns", layout_type = "Embedded" }, new { surface = "confirmation", layout_type = "Overlay" } } }, Http.NewKey());
        Assert.Equal(409, again.Status);
        Assert.Contains("pages[1].surface", again.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task An_operation_recovers_a_lost_response_and_is_hidden_from_other_platforms()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        var write = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
        var operationId = write.Header("X-Operation-Id")!;
        var op = await client.GetJsonAsync($"/v1/partnership/operations/{operationId}");
        Assert.Equal(200, op.Status);
        Assert.Equal("completed", op.Data.GetProperty("status").GetString());
        Assert.Equal("account.status.update", op.Data.GetProperty("type").GetString());
        Assert.Equal(write.Json.GetProperty("data").ToString(), op.Data.GetProperty("response_body").GetProperty("data").ToString());

        var failed = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "nope" }, Http.NewKey());
        var failedOp = await client.GetJsonAsync($"/v1/partnership/operations/{failed.Header("X-Operation-Id")}");
        Assert.Equal("failed", failedOp.Data.GetProperty("status").GetString());
        Assert.Equal("BadRequest", failedOp.Data.GetProperty("error").GetProperty("code").GetString());

        using var other = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        Assert.Equal(404, (await other.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Status);
    }

    [Fact]
    public async Task Operators_query_the_audit_log_by_account_and_dry_run()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(PlatformId);
        await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status?dry_run=true", new { status = "paused" }, Http.NewKey());
        await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
        using var admin = Server.AdminClient();
        var all = await admin.GetJsonAsync($"/admin/v1/audit?account_id={accountId}");
        Assert.Equal(3, all.Data.GetArrayLength()); // registration, dry-run, real
        var dry = await admin.GetJsonAsync($"/admin/v1/audit?account_id={accountId}&dry_run=true");
        Assert.Equal(1, dry.Data.GetArrayLength());
        Assert.Equal("dry_run", dry.Data[0].GetProperty("outcome").GetString());
        Assert.Equal(400, (await admin.GetJsonAsync("/admin/v1/audit?dry_run=maybe")).Status);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteResourceTests(SqliteServerFixture f) : ResourceTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresResourceTests(PostgresServerFixture f) : ResourceTests(f);
