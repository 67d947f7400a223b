using System.Text.Json;
using Dapper;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>GET /v1/partnership/accounts: the platform's merchants, newest first, in cursor pages as Stripe's lists are.</summary>
public abstract class AccountListTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private static async Task<string> RegisterAsync(HttpClient client, string platformId, string externalId)
    {
        var reply = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(platformId, externalId));
        Assert.Equal(201, reply.Status);
        return reply.Data.GetProperty("account_id").GetString()!;
    }

    private static List<string> Ids(Reply page) =>
        page.Data.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("account_id").GetString()!).ToList();

    /// <summary>The listed order as the store holds it: created_at descending, then id descending.</summary>
    private async Task<List<string>> NewestFirstAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(Server.Database);
        var rows = await s.Connection.QueryAsync<(string Id, string CreatedAt)>(
            "SELECT id AS Id, created_at AS CreatedAt FROM accounts WHERE platform_id = @platformId AND relationship_status = 'active'", new { platformId });
        return rows.OrderByDescending(r => r.CreatedAt, StringComparer.Ordinal).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id).ToList();
    }

    [Fact]
    public async Task Pages_of_two_walk_every_account_exactly_once_newest_first_even_when_timestamps_are_equal()
    {
        var platform = await FreshPlatform.CreateAsync(Server);
        using var client = await platform.ClientAsync(Server);
        var registered = new List<string>();
        for (var i = 0; i < 12; i++) registered.Add(await RegisterAsync(client, platform.PlatformId, $"merchant-{i}"));
        // Five merchants registered in the same microsecond: only the id orders them, across page boundaries.
        await using (var s = await DbSession.WriteAsync(Server.Database))
        {
            foreach (var id in registered.Skip(3).Take(5))
            {
                await s.Connection.ExecuteAsync("UPDATE accounts SET created_at = @at WHERE id = @id", new { at = "2026-01-01T00:00:00.000000Z", id }, s.Transaction);
            }
            await s.CommitAsync();
        }
        var expected = await NewestFirstAsync(platform.PlatformId);
        Assert.Equal(12, expected.Count);

        var walked = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var page = await client.GetJsonAsync("/v1/partnership/accounts?limit=2" + (cursor is null ? "" : "&starting_after=" + cursor));
            Assert.Equal(200, page.Status);
            var ids = Ids(page);
            Assert.InRange(ids.Count, 1, 2);
            walked.AddRange(ids);
            pages++;
            cursor = ids[^1];
            if (!page.Data.GetProperty("has_more").GetBoolean()) break;
            Assert.True(pages < 20, "has_more never ended");
        }
        Assert.Equal(6, pages);
        Assert.Equal(expected, walked);
        Assert.Equal(registered.Order(StringComparer.Ordinal), walked.Order(StringComparer.Ordinal));

        // Default page size 10; the items are what GET /accounts/{id} returns.
        var first = await client.GetJsonAsync("/v1/partnership/accounts");
        Assert.Equal(expected.Take(10), Ids(first));
        Assert.True(first.Data.GetProperty("has_more").GetBoolean());
        var one = await client.GetJsonAsync($"/v1/partnership/accounts/{expected[0]}");
        Assert.Equal(one.Data.ToString(), first.Data.GetProperty("items")[0].ToString());
        var all = await client.GetJsonAsync("/v1/partnership/accounts?limit=100&dry_run=true");
        Assert.Equal(expected, Ids(all));
        Assert.False(all.Data.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Filters_select_by_exact_external_account_id_and_by_status()
    {
        var platform = await FreshPlatform.CreateAsync(Server);
        using var client = await platform.ClientAsync(Server);
        var a = await RegisterAsync(client, platform.PlatformId, "shop-a");
        var b = await RegisterAsync(client, platform.PlatformId, "shop-ab");
        var c = await RegisterAsync(client, platform.PlatformId, "shop-c");
        Assert.Equal(200, (await client.PutJsonAsync($"/v1/partnership/accounts/{b}/status", new { status = "paused" }, Http.NewKey())).Status);

        Assert.Equal([a], Ids(await client.GetJsonAsync("/v1/partnership/accounts?external_account_id=shop-a")));
        Assert.Empty(Ids(await client.GetJsonAsync("/v1/partnership/accounts?external_account_id=shop")));
        Assert.Empty(Ids(await client.GetJsonAsync("/v1/partnership/accounts?external_account_id=SHOP-A")));
        Assert.Equal([b], Ids(await client.GetJsonAsync("/v1/partnership/accounts?status=paused")));
        Assert.Equal([c, a], Ids(await client.GetJsonAsync("/v1/partnership/accounts?status=active")));
        Assert.Empty(Ids(await client.GetJsonAsync("/v1/partnership/accounts?status=paused&external_account_id=shop-a")));
        var paged = await client.GetJsonAsync($"/v1/partnership/accounts?status=active&limit=1&starting_after={c}");
        Assert.Equal([a], Ids(paged));
        Assert.False(paged.Data.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Another_platforms_accounts_never_appear_and_are_no_cursor()
    {
        var platform = await FreshPlatform.CreateAsync(Server);
        using var client = await platform.ClientAsync(Server);
        var own = await RegisterAsync(client, platform.PlatformId, "own-shop");
        using var demo = await Server.DemoClientAsync();
        var foreign = await demo.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var foreignExternal = (await demo.GetJsonAsync($"/v1/partnership/accounts/{foreign}")).Data.GetProperty("external_account_id").GetString()!;

        Assert.Equal([own], Ids(await client.GetJsonAsync("/v1/partnership/accounts?limit=100")));
        Assert.Empty(Ids(await client.GetJsonAsync($"/v1/partnership/accounts?external_account_id={foreignExternal}")));
        Assert.DoesNotContain(own, Ids(await demo.GetJsonAsync("/v1/partnership/accounts?limit=100")));
        var refused = await client.GetJsonAsync($"/v1/partnership/accounts?starting_after={foreign}");
        Assert.Equal(400, refused.Status);
        Assert.Equal(["starting_after"], refused.DetailFields);
    }

    [Fact]
    public async Task An_account_whose_relationship_is_revoked_is_not_listed_and_is_no_cursor()
    {
        var platform = await FreshPlatform.CreateAsync(Server);
        using var client = await platform.ClientAsync(Server);
        var kept = await RegisterAsync(client, platform.PlatformId, "kept");
        var revoked = await RegisterAsync(client, platform.PlatformId, "revoked");
        using var admin = Server.AdminClient();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{revoked}/relationship/revoke", null)).Status);

        Assert.Equal([kept], Ids(await client.GetJsonAsync("/v1/partnership/accounts")));
        Assert.Empty(Ids(await client.GetJsonAsync("/v1/partnership/accounts?external_account_id=revoked")));
        Assert.Equal(400, (await client.GetJsonAsync($"/v1/partnership/accounts?starting_after={revoked}")).Status);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=+5", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("limit=2&limit=3", "limit")]
    [InlineData("status=archived", "status")]
    [InlineData("status=Active", "status")]
    [InlineData("starting_after=00000000-0000-0000-0000-000000000000", "starting_after")]
    [InlineData("starting_after=", "starting_after")]
    [InlineData("external_account_id=", "external_account_id")]
    [InlineData("ending_before=x", "ending_before")]
    [InlineData("stauts=paused", "stauts")]
    public async Task A_bad_query_is_a_400_naming_the_parameter_and_its_message_is_that_issue(string query, string field)
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.GetJsonAsync("/v1/partnership/accounts?" + query);
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Equal([field], reply.DetailFields);
        var detail = reply.Json.GetProperty("details")[0];
        Assert.Equal(new FieldIssue(field, detail.GetProperty("issue").GetString()!).Text(), reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Several_bad_parameters_are_listed_at_once_and_the_message_counts_them()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.GetJsonAsync($"/v1/partnership/accounts?limit=0&status=gone&external_account_id={new string('e', 129)}");
        Assert.Equal(400, reply.Status);
        Assert.Equal(["limit", "external_account_id", "status"], reply.DetailFields);
        Assert.Equal("limit: must be an integer from 1 to 100 (and 2 more issues)", reply.Json.GetProperty("message").GetString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAccountListTests(SqliteServerFixture f) : AccountListTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountListTests(PostgresServerFixture f) : AccountListTests(f);
