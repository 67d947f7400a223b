using System.Text.Json;
using System.Text.Json.Nodes;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

public abstract class ControlsTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private static string Mcl(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    private static object Body(string? hash, params (long v, long s, string p)[] blocks) => new Dictionary<string, object?>
    {
        ["name"] = "Acme Network Controls",
        ["blockedVerticals"] = blocks.Select(b => new { partnerVerticalId = b.v, partnerSubVerticalId = b.s, policy = b.p }).ToArray(),
        ["domains"] = Array.Empty<object>(),
        ["contentHash"] = hash,
    };

    [Fact]
    public async Task Seed_004_round_trip_translates_and_reports_effective_policy_per_mapping_row()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var put = await client.PutJsonAsync(Mcl(accountId), """
            {"name": "Acme Network Controls",
             "blockedVerticals": [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block", "position1Policy": "Block"}],
             "domains": []}
            """, Http.NewKey());
        Assert.Equal(200, put.Status);

        var get = await client.GetJsonAsync(Mcl(accountId));
        var effective = get.Data.GetProperty("translated_verticals").EnumerateArray().ToDictionary(e => e.GetProperty("vertical_id").GetInt64());
        Assert.Equal("Block", effective[1610].GetProperty("policy").GetString());
        Assert.Equal("Block", effective[1610].GetProperty("position_1_policy").GetString());
        Assert.Equal("Block", effective[1612].GetProperty("policy").GetString()); // same network sub-vertical as 1610
        Assert.Equal("Allow", effective[1611].GetProperty("policy").GetString());
        Assert.Equal(4, effective.Count); // one entry per mapping row
        Http.AssertNoNetworkFields(get.Json);
        Assert.DoesNotContain("1004", get.Body); // the IAB id 1610 and 1612 map to
        Assert.Equal(get.Header("ETag"), $"\"{get.Data.GetProperty("contentHash").GetString()}\"");
    }

    [Fact]
    public async Task Seed_000_dry_run_leaves_state_unchanged_and_a_fresh_key_commits()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var before = await client.GetJsonAsync(Mcl(accountId));
        var hash = before.Data.GetProperty("contentHash").GetString();

        var dryKey = Http.NewKey();
        var dry = await client.PutJsonAsync(Mcl(accountId) + "?dry_run=true", Body(hash, (1500, 1610, "Block"), (1500, 1611, "Block")), dryKey);
        Assert.Equal(200, dry.Status);
        Assert.Equal("true", dry.Header("Dry-Run"));
        Assert.Null(dry.Header("X-Operation-Id"));
        Assert.Equal(2, dry.Data.GetProperty("blockedVerticals").GetArrayLength());
        Assert.NotEqual(hash, dry.Data.GetProperty("contentHash").GetString());

        var after = await client.GetJsonAsync(Mcl(accountId));
        Assert.Equal(hash, after.Data.GetProperty("contentHash").GetString());
        Assert.Equal(before.Data.GetProperty("blockedVerticals").ToString(), after.Data.GetProperty("blockedVerticals").ToString());

        // Reusing the dry-run's key replays the dry-run: nothing commits.
        var reused = await client.PutJsonAsync(Mcl(accountId), Body(hash, (1500, 1610, "Block"), (1500, 1611, "Block")), dryKey);
        Assert.Equal("true", reused.Header("Idempotent-Replayed"));
        Assert.Equal(hash, (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("contentHash").GetString());

        var real = await client.PutJsonAsync(Mcl(accountId), Body(hash, (1500, 1610, "Block"), (1500, 1611, "Block")), Http.NewKey());
        Assert.Equal(200, real.Status);
        Assert.NotNull(real.Header("X-Operation-Id"));
        Assert.Equal(dry.Data.GetProperty("contentHash").GetString(), real.Data.GetProperty("contentHash").GetString());
        Assert.Equal(real.Data.GetProperty("contentHash").GetString(), (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("contentHash").GetString());
    }

    [Fact]
    public async Task Seed_001_recipe_keeps_every_earlier_block()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        Assert.Equal(200, (await client.PutJsonAsync(Mcl(accountId), Body(null, (1500, 1610, "Block"), (1502, 1620, "Block")), Http.NewKey())).Status);

        var current = (await client.GetJsonAsync(Mcl(accountId))).Data;
        // The recipe, verbatim in shape: build blockedVerticals from translatedVerticals and append 1612.
        var next = new JsonObject
        {
            ["name"] = current.GetProperty("name").GetString(),
            ["blockedVerticals"] = new JsonArray(current.GetProperty("translatedVerticals").EnumerateArray().Select(v => (JsonNode)new JsonObject
            {
                ["partnerVerticalId"] = v.GetProperty("partner_vertical_id").GetInt64(),
                ["partnerSubVerticalId"] = v.GetProperty("partner_sub_vertical_id").GetInt64(),
                ["policy"] = "Block", ["position1Policy"] = "Block",
            }).Append(new JsonObject { ["partnerVerticalId"] = 1500, ["partnerSubVerticalId"] = 1612, ["policy"] = "Block", ["position1Policy"] = "Block" }).ToArray()),
            ["domains"] = JsonNode.Parse(current.GetProperty("domains").GetRawText()),
            ["contentHash"] = current.GetProperty("contentHash").GetString(),
        };
        var put = await client.PutJsonAsync(Mcl(accountId), next.ToJsonString(), Http.NewKey());
        Assert.Equal(200, put.Status);
        var blocked = (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("blockedVerticals").EnumerateArray()
            .Select(b => b.GetProperty("partnerSubVerticalId").GetInt64()).Order().ToArray();
        Assert.Equal([1610, 1612, 1620], blocked);
    }

    [Fact]
    public async Task A_stale_contentHash_is_409_with_the_current_hash_and_writes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var stale = (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("contentHash").GetString();
        var first = await client.PutJsonAsync(Mcl(accountId), Body(stale, (1500, 1610, "Block")), Http.NewKey());
        Assert.Equal(200, first.Status);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(Mcl(accountId), Body(stale, (1500, 1611, "Block")), Http.NewKey());
        Assert.Equal(409, reply.Status);
        Assert.Equal("Conflict", reply.Error);
        Assert.Contains(first.Data.GetProperty("contentHash").GetString()!, reply.Body);
        Assert.Contains("contentHash", reply.DetailFields);
        Assert.NotNull(reply.Header("X-Operation-Id"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task If_Match_is_honoured_with_412()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var etag = (await client.GetJsonAsync(Mcl(accountId))).Header("ETag")!;
        var wrong = await client.PutJsonAsync(Mcl(accountId), Body(null, (1500, 1610, "Block")), Http.NewKey(),
            new Dictionary<string, string> { ["If-Match"] = "\"v9-deadbeef\"" });
        Assert.Equal(412, wrong.Status);
        Assert.Equal("PreconditionFailed", wrong.Error);
        var right = await client.PutJsonAsync(Mcl(accountId), Body(null, (1500, 1610, "Block")), Http.NewKey(),
            new Dictionary<string, string> { ["If-Match"] = etag });
        Assert.Equal(200, right.Status);
    }

    [Fact]
    public async Task A_no_op_PUT_keeps_the_hash()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var first = await client.PutJsonAsync(Mcl(accountId), Body(null, (1500, 1610, "Block"), (1500, 1611, "Allow")), Http.NewKey());
        var again = await client.PutJsonAsync(Mcl(accountId), Body(null, (1500, 1611, "Allow"), (1500, 1610, "Block")), Http.NewKey());
        Assert.Equal(first.Data.GetProperty("contentHash").GetString(), again.Data.GetProperty("contentHash").GetString());
        Assert.StartsWith("v1-", again.Data.GetProperty("contentHash").GetString());
    }

    [Fact]
    public async Task Unmapped_pairs_reject_the_whole_PUT_with_the_seeds_message_and_every_pair_named()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(Mcl(accountId), Body(null, (1500, 1610, "Block"), (1500, 9998, "Block"), (7, 9999, "Block")), Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Equal("No partnership vertical mapping exists for MCL translation", reply.Json.GetProperty("message").GetString());
        Assert.Equal(2, reply.DetailFields.Count);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Theory]
    [InlineData("""{"blockedVerticals": [], "domains": []}""", "name")]
    [InlineData("""{"name": "x", "domains": []}""", "blockedVerticals")]
    [InlineData("""{"name": "x", "blockedVerticals": null, "domains": []}""", "blockedVerticals")]
    [InlineData("""{"name": "x", "blockedVerticals": []}""", "domains")]
    [InlineData("""{"name": "x", "blockedVertical": [], "blockedVerticals": [], "domains": []}""", "blockedVertical")]
    [InlineData("""{"name": "x", "blockedVerticals": [{"partnerVerticalId": "1500", "partnerSubVerticalId": 1610, "policy": "Block"}], "domains": []}""", "blockedVerticals[0].partnerVerticalId")]
    [InlineData("""{"name": "x", "blockedVerticals": [{"partnerVerticalId": 1500, "policy": "Block"}], "domains": []}""", "blockedVerticals[0].partnerSubVerticalId")]
    [InlineData("""{"name": "x", "blockedVerticals": [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Deny"}], "domains": []}""", "blockedVerticals[0].policy")]
    [InlineData("""{"name": "x", "blockedVerticals": [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block", "position1Policy": "Allow"}], "domains": []}""", "blockedVerticals[0].position1Policy")]
    [InlineData("""{"name": "x", "blockedVerticals": [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"}, {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Allow"}], "domains": []}""", "blockedVerticals[1]")]
    [InlineData("""{"name": "x", "blockedVerticals": [], "domains": [{"domain": "not a host", "policy": "Block"}]}""", "domains[0].domain")]
    [InlineData("""{"name": "x", "blockedVerticals": [], "domains": [{"domain": "a.example.com"}]}""", "domains[0].policy")]
    [InlineData("""[1, 2]""", "")]
    public async Task Each_bad_controls_field_is_a_400_naming_it_and_stores_nothing(string body, string field)
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(Mcl(accountId), body, Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Contains(reply.DetailFields, f => f == field || f.StartsWith(field + ".", StringComparison.Ordinal) || (field.Length > 0 && f.StartsWith(field, StringComparison.Ordinal)));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Domains_are_normalised()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var reply = await client.PutJsonAsync(Mcl(accountId), """
            {"name": "x", "blockedVerticals": [], "domains": [{"domain": "https://Competitor.Example.COM./path", "policy": "Block"}, {"domain": "bücher.example", "policy": "Block"}]}
            """, Http.NewKey());
        Assert.Equal(200, reply.Status);
        var domains = reply.Data.GetProperty("domains").EnumerateArray().Select(d => d.GetProperty("domain").GetString()!).ToArray();
        Assert.Equal(["competitor.example.com", "xn--bcher-kva.example"], domains);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteControlsTests(SqliteServerFixture f) : ControlsTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresControlsTests(PostgresServerFixture f) : ControlsTests(f);
