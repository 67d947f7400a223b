using System.Net.Sockets;
using System.Text;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

public abstract class IdempotencyTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private static string Status(string accountId) => $"/v1/partnership/accounts/{accountId}/status";
    private static string Mcl(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
    private static object Block(long sub) => new
    {
        name = "n", blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = sub, policy = "Block" } }, domains = Array.Empty<object>(),
    };

    [Fact]
    public async Task A_replay_returns_the_same_status_body_ETag_and_operation()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var first = await client.PutJsonAsync(Mcl(accountId), Block(1610), key);
        var replay = await client.PutJsonAsync(Mcl(accountId), Block(1610), key);
        Assert.Equal(first.Status, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(first.Header("ETag"), replay.Header("ETag"));
        Assert.Equal(first.Header("X-Operation-Id"), replay.Header("X-Operation-Id"));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Null(first.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        Assert.Equal(200, (await client.PutJsonAsync(Mcl(accountId), Block(1610), key)).Status);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(Mcl(accountId), Block(1611), key);
        Assert.Equal(422, reply.Status);
        Assert.Equal("ValidationFailed", reply.Error);
        Assert.Contains("Idempotency-Key", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task A_key_used_on_a_rejected_write_can_be_used_again()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        Assert.Equal(400, (await client.PutJsonAsync(Mcl(accountId), Block(9999), key)).Status);
        var conflict = await client.PutJsonAsync(Mcl(accountId), new
        {
            name = "n", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>(), contentHash = "v99-00000000",
        }, key);
        Assert.Equal(409, conflict.Status);
        var fixedUp = await client.PutJsonAsync(Mcl(accountId), Block(1610), key);
        Assert.Equal(200, fixedUp.Status);
        Assert.Null(fixedUp.Header("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-uuid")]
    public async Task A_missing_or_non_UUID_key_is_400_and_changes_nothing(string? key)
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(Status(accountId), new { status = "paused" }, key);
        Assert.Equal(400, reply.Status);
        Assert.Contains("Idempotency-Key", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Theory]
    [InlineData("?dry_run=yes")]
    [InlineData("?dry_run=1")]
    [InlineData("?dry_run=true&dry_run=false")]
    public async Task A_dry_run_flag_that_is_not_true_or_false_is_400_and_commits_nothing(string query)
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PutJsonAsync(Status(accountId) + query, new { status = "paused" }, Http.NewKey());
        Assert.Equal(400, reply.Status);
        Assert.Contains("dry_run", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task The_same_key_on_two_accounts_does_not_collide()
    {
        using var client = await Server.DemoClientAsync();
        var a = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var b = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var first = await client.PutJsonAsync(Status(a), new { status = "paused" }, key);
        var second = await client.PutJsonAsync(Status(b), new { status = "paused" }, key);
        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Null(second.Header("Idempotent-Replayed"));
        Assert.Equal(b, second.Data.GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task Fifty_concurrent_requests_with_one_key_commit_exactly_once()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PutJsonAsync(Mcl(accountId), Block(1610), key)));
        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Single(replies.Select(r => r.Body).Distinct());
        Assert.Single(replies.Select(r => r.Header("X-Operation-Id")).Distinct());
        Assert.Equal(49, replies.Count(r => r.Header("Idempotent-Replayed") == "true"));
        Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "operations", "account_id = @accountId AND type = 'marketplace_controls.update'", new { accountId }));
        Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "marketplace_controls", "account_id = @accountId AND revision = 1", new { accountId }));
    }

    [Fact]
    public async Task A_client_that_disconnects_after_the_commit_gets_the_stored_response_on_retry()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var json = """{"name":"n","blockedVerticals":[{"partnerVerticalId":1500,"partnerSubVerticalId":1610,"policy":"Block"}],"domains":[]}""";
        using (var socket = new TcpClient())
        {
            await socket.ConnectAsync(Server.BaseAddress.Host, Server.BaseAddress.Port);
            var request = $"PUT {Mcl(accountId)} HTTP/1.1\r\nHost: {Server.BaseAddress.Authority}\r\nAuthorization: Bearer {token}\r\n" +
                $"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(json)}\r\n\r\n{json}";
            await socket.GetStream().WriteAsync(Encoding.UTF8.GetBytes(request));
            // The write commits; the client goes away without ever reading the answer.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await StoreSnapshot.CountAsync(Server.Database, "audit_log", "idem_key = @key AND outcome = 'committed'", new { key }) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the write never committed");
                await Task.Delay(20);
            }
            socket.Client.LingerState = new LingerOption(true, 0); // reset, not a graceful close
        }

        var retry = await client.PutJsonAsync(Mcl(accountId), json, key);
        Assert.Equal(200, retry.Status);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "audit_log", "idem_key = @key AND outcome = 'committed'", new { key }));
        Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "marketplace_controls", "account_id = @accountId AND revision = 1", new { accountId }));
    }

    [Fact]
    public async Task Sixteen_clients_doing_GET_modify_PUT_lose_no_update()
    {
        using var client = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var accountId = await RegisterMccAsync(client, Server.DemoMcc.PlatformParentAccountId);
        await ConcurrentEdits.RunAsync([client], accountId, 16);
        var blocked = (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("blockedVerticals").GetArrayLength();
        Assert.Equal(16, blocked);
    }

    internal static async Task<string> RegisterMccAsync(HttpClient client, string platformId)
    {
        var body = Http.Registration(platformId, pages: Array.Empty<object>());
        body["vertical_id"] = 5900;
        body["sub_vertical_id"] = 5941;
        var reply = await client.PostJsonAsync("/v1/accounts/register/partnership", body);
        Assert.Equal(201, reply.Status);
        return reply.Data.GetProperty("account_id").GetString()!;
    }
}

/// <summary>N workers, each adding its own MCC to the blocked list with GET-modify-PUT and retrying on 409.</summary>
public static class ConcurrentEdits
{
    public static readonly long[] Codes = [5411, 5571, 5422, 5441, 5451, 5462, 5499, 5511, 5521, 5531, 5532, 5533, 5541, 5542, 5551, 5561];

    public static async Task RunAsync(IReadOnlyList<HttpClient> clients, string accountId, int workers)
    {
        var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async i =>
        {
            var client = clients[i % clients.Count];
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var current = (await client.GetJsonAsync(path)).Data;
                var blocks = current.GetProperty("blockedVerticals").EnumerateArray()
                    .Select(b => new { partnerVerticalId = b.GetProperty("partnerVerticalId").GetInt64(), partnerSubVerticalId = b.GetProperty("partnerSubVerticalId").GetInt64(), policy = "Block" })
                    .Append(new { partnerVerticalId = Codes[i] / 100 * 100, partnerSubVerticalId = Codes[i], policy = "Block" }).ToArray();
                var reply = await client.PutJsonAsync(path, new
                {
                    name = "shared", blockedVerticals = blocks, domains = Array.Empty<object>(), contentHash = current.GetProperty("contentHash").GetString(),
                }, Http.NewKey());
                if (reply.Status == 200) return;
                Assert.Equal(409, reply.Status);
            }
            Assert.Fail($"worker {i} never got its write in");
        }));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteIdempotencyTests(SqliteServerFixture f) : IdempotencyTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresIdempotencyTests(PostgresServerFixture f) : IdempotencyTests(f);
