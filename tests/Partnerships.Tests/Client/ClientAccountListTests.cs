using Partnerships.Client;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>The client lists the platform's accounts a page at a time, or all of them through the auto-pager.</summary>
public abstract class ClientAccountListTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task ListAccountsAsync_reads_one_page_and_the_auto_pager_reads_every_account_newest_first()
    {
        var platform = await FreshPlatform.CreateAsync(Server);
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { ClientId = platform.ClientId, ClientSecret = platform.ClientSecret });
        using var _c = client;
        var registered = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var request = ClientHarness.Registration(Server, $"list-{i}") with { PlatformParentAccountId = platform.PlatformId };
            registered.Add((await client.RegisterAccountAsync(request)).Data.AccountId);
        }
        var newestFirst = Enumerable.Reverse(registered).ToList();

        var first = await client.ListAccountsAsync(new AccountListOptions(Limit: 2));
        Assert.Equal(newestFirst.Take(2), first.Data.Items.Select(a => a.AccountId));
        Assert.True(first.Data.HasMore);
        Assert.Equal("list-4", first.Data.Items[0].ExternalAccountId);

        var calls = handler.Calls.Count;
        var all = new List<string>();
        await foreach (var account in client.ListAccountsAutoPagingAsync(new AccountListOptions(Limit: 2))) all.Add(account.AccountId);
        Assert.Equal(newestFirst, all);
        Assert.Equal(3, handler.Calls.Count - calls);
        Assert.Contains(handler.Calls, c => c.PathAndQuery == $"/v1/partnership/accounts?limit=2&starting_after={newestFirst[3]}");

        var one = await client.ListAccountsAsync(new AccountListOptions(ExternalAccountId: "list-2", Status: AccountStatus.Active));
        Assert.Equal(registered[2], Assert.Single(one.Data.Items).AccountId);
        Assert.False(one.Data.HasMore);

        var refused = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.ListAccountsAsync(new AccountListOptions(Limit: 101)));
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("limit: must be an integer from 1 to 100", refused.Message);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteClientAccountListTests(SqliteServerFixture f) : ClientAccountListTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresClientAccountListTests(PostgresServerFixture f) : ClientAccountListTests(f);
