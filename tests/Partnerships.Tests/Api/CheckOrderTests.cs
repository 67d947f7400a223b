using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Authentication, tenancy and relationship checks answer before anything about the request itself: a rehearsal
/// (<c>?dry_run=true</c>) on a route without dry-run, aimed at an account or platform that is not the caller's, is the
/// 403/404 any other call would get, not the dry-run 400.
/// </summary>
public abstract class CheckOrderTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private const string Register = "/v1/accounts/register/partnership";
    private static readonly object Payout = new { return_url = "https://platform.example.com/done", refresh_url = "https://platform.example.com/retry" };
    private static readonly string[] Tables = [.. StoreSnapshot.StateTables, "operations", "idempotency_keys", "payout_setups", "events"];

    private static string PayoutPath(string accountId) => $"/v1/partnership/accounts/{accountId}/payout-setup?dry_run=true";

    private async Task<Reply> UnchangedAsync(Func<Task<Reply>> call)
    {
        var before = await StoreSnapshot.TakeAsync(Server.Database, Tables);
        var reply = await call();
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database, Tables));
        Assert.Null(reply.Header("X-Operation-Id"));
        return reply;
    }

    [Fact]
    public async Task Payout_setup_dry_run_on_another_platforms_account_is_403_and_changes_nothing()
    {
        using var one = await Server.DemoClientAsync();
        using var mcc = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var accountId = await one.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var reply = await UnchangedAsync(() => mcc.PostJsonAsync(PayoutPath(accountId), Payout, Http.NewKey()));
        Assert.Equal(403, reply.Status);
        Assert.Equal("Forbidden", reply.Error);
        Assert.DoesNotContain("dry_run", reply.DetailFields);
    }

    [Fact]
    public async Task Payout_setup_dry_run_on_an_unknown_account_is_404_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await UnchangedAsync(() => client.PostJsonAsync(PayoutPath(Guid.NewGuid().ToString()), Payout, Http.NewKey()));
        Assert.Equal(404, reply.Status);
        Assert.Equal("NotFound", reply.Error);
    }

    [Fact]
    public async Task Payout_setup_dry_run_on_a_revoked_relationship_is_403_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        using var admin = Server.AdminClient();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{accountId}/relationship/revoke", null)).Status);
        var reply = await UnchangedAsync(() => client.PostJsonAsync(PayoutPath(accountId), Payout, Http.NewKey()));
        Assert.Equal(403, reply.Status);
        Assert.Contains("revoked", reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Payout_setup_dry_run_on_your_own_account_is_still_the_400_naming_dry_run()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var reply = await UnchangedAsync(() => client.PostJsonAsync(PayoutPath(accountId), Payout, Http.NewKey()));
        Assert.Equal(400, reply.Status);
        Assert.Equal(["dry_run"], reply.DetailFields);
    }

    [Fact]
    public async Task Registration_dry_run_for_another_platform_is_403_even_with_other_fields_wrong_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var body = Http.Registration(Server.DemoMcc.PlatformParentAccountId);
        var reply = await UnchangedAsync(() => client.PostJsonAsync(Register + "?dry_run=true", body));
        Assert.Equal(403, reply.Status);
        Assert.Equal(["platform_parent_account_id"], reply.DetailFields);

        // Tenancy is checked before the body's other fields, with or without dry_run (a real attempt records its failed operation).
        body["brand"] = "";
        body["country_code"] = "XX";
        Assert.Equal(403, (await UnchangedAsync(() => client.PostJsonAsync(Register + "?dry_run=true", body))).Status);
        var state = await StoreSnapshot.TakeAsync(Server.Database);
        var real = await client.PostJsonAsync(Register, body);
        Assert.Equal(403, real.Status);
        Assert.Equal(["platform_parent_account_id"], real.DetailFields);
        Assert.Equal(state, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Registration_dry_run_for_your_own_platform_is_still_the_400_naming_dry_run()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await UnchangedAsync(() => client.PostJsonAsync(Register + "?dry_run=true", Http.Registration(Server.DemoOne.PlatformParentAccountId)));
        Assert.Equal(400, reply.Status);
        Assert.Equal(["dry_run"], reply.DetailFields);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCheckOrderTests(SqliteServerFixture f) : CheckOrderTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCheckOrderTests(PostgresServerFixture f) : CheckOrderTests(f);
