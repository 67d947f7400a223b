using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Two server processes on one PostgreSQL database: tokens cross over and concurrent edits lose nothing.</summary>
public sealed class MultiProcessPostgresTests : IAsyncLifetime
{
    private TestServer _seeded = null!;

    public async Task InitializeAsync() => _seeded = await TestServer.StartAsync(StoreKind.Postgres);
    public async Task DisposeAsync() => await _seeded.DisposeAsync();

    private Task<ServerProcess> StartProcessAsync() => ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_seeded));

    [Fact]
    public async Task Two_processes_accept_each_others_tokens_and_sixteen_GET_modify_PUT_clients_lose_no_update()
    {
        await using var a = await StartProcessAsync();
        await using var b = await StartProcessAsync();
        var token = await _seeded.TokenAsync(_seeded.DemoMcc.ClientId, _seeded.DemoMcc.ClientSecret); // minted by a third process
        using var clientA = a.Client(token);
        using var clientB = b.Client(token);
        var accountId = await IdempotencyTests.RegisterMccAsync(clientA, _seeded.DemoMcc.PlatformParentAccountId);
        Assert.Equal(200, (await clientB.GetJsonAsync($"/v1/partnership/accounts/{accountId}")).Status);

        await ConcurrentEdits.RunAsync([clientA, clientB], accountId, 16);
        var blocked = (await clientB.GetJsonAsync($"/v1/partnership/accounts/{accountId}/marketplacecontrolslists")).Data.GetProperty("blockedVerticals");
        Assert.Equal(16, blocked.GetArrayLength());
    }

    [Fact]
    public async Task Fifty_concurrent_same_key_requests_across_two_processes_commit_once()
    {
        await using var a = await StartProcessAsync();
        await using var b = await StartProcessAsync();
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        using var clientA = a.Client(token);
        using var clientB = b.Client(token);
        var accountId = await clientA.RegisterAsync(_seeded.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var body = new { name = "n", blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = 1610, policy = "Block" } }, domains = Array.Empty<object>() };
        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            (i % 2 == 0 ? clientA : clientB).PutJsonAsync($"/v1/partnership/accounts/{accountId}/marketplacecontrolslists", body, key)));
        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Single(replies.Select(r => r.Body).Distinct());
        Assert.Equal(1, await StoreSnapshot.CountAsync(_seeded.Database, "operations", "account_id = @accountId AND type = 'marketplace_controls.update'", new { accountId }));
    }
}
