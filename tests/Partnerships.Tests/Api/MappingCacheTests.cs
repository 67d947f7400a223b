using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Each process caches a platform's mapping table behind its version stamp: an operator's load through one process
/// reaches another process's reads, and that process's next write translates with the new table at once.
/// </summary>
public abstract class MappingCacheTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _operatorSide = null!;
    private ServerProcess _partnerSide = null!;

    public async Task InitializeAsync()
    {
        _operatorSide = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
        _partnerSide = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_operatorSide, new Dictionary<string, string> { ["Outbox:Dispatcher"] = "false" }));
    }

    public async Task DisposeAsync()
    {
        await _partnerSide.DisposeAsync();
        await _operatorSide.DisposeAsync();
    }

    private static string Controls(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    private static object Blocking(long subVertical) => new
    {
        name = "Controls", blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = subVertical, policy = "Block" } }, domains = Array.Empty<object>(),
    };

    private async Task LoadAsync(string platformId, long subVertical, long networkSubVertical)
    {
        using var admin = _operatorSide.AdminClient();
        var reply = await admin.PostJsonAsync($"/v1/partnership/vertical-mappings?platform_parent_account_id={platformId}",
            new { partnerVerticalId = 1500, partnerSubVerticalId = subVertical, networkSubVerticalId = networkSubVertical });
        Assert.Equal(200, reply.Status);
    }

    private static string? PolicyOf(JsonElement controls, long subVertical) => controls.GetProperty("translated_verticals").EnumerateArray()
        .Where(v => v.GetProperty("vertical_id").GetInt64() == subVertical).Select(v => v.GetProperty("policy").GetString()).FirstOrDefault();

    private static async Task<JsonElement> PollAsync(HttpClient client, string path, Func<JsonElement, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        Reply reply;
        do
        {
            reply = await client.GetJsonAsync(path);
            Assert.Equal(200, reply.Status);
            if (until(reply.Data)) break;
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);
        return reply.Data;
    }

    [Fact]
    public async Task A_mapping_load_through_another_process_reaches_the_controls_GET_and_the_very_next_PUT_translates_with_it()
    {
        var platform = await FreshPlatform.CreateAsync(_operatorSide);
        using var partner = _partnerSide.Client(await _operatorSide.TokenAsync(platform.ClientId, platform.ClientSecret));
        var accountId = await partner.RegisterAsync(platform.PlatformId);
        // The partner's process now holds the one-row table.
        Assert.Single((await partner.GetJsonAsync(Controls(accountId))).Data.GetProperty("translated_verticals").EnumerateArray());
        var unmapped = await partner.PutJsonAsync(Controls(accountId), Blocking(1620), Http.NewKey());
        Assert.Equal(400, unmapped.Status);

        await LoadAsync(platform.PlatformId, 1620, 1003);

        var put = await partner.PutJsonAsync(Controls(accountId), Blocking(1620), Http.NewKey());
        Assert.Equal(200, put.Status);
        Assert.Equal(2, put.Data.GetProperty("translated_verticals").GetArrayLength());
        var read = await PollAsync(partner, Controls(accountId), c => c.GetProperty("translated_verticals").GetArrayLength() == 2);
        Assert.Equal("Block", PolicyOf(read, 1620));
    }

    [Fact]
    public async Task A_write_after_a_mapping_changes_its_target_shows_the_new_target()
    {
        var platform = await FreshPlatform.CreateAsync(_operatorSide);
        await LoadAsync(platform.PlatformId, 1620, 1003);
        using var partner = _partnerSide.Client(await _operatorSide.TokenAsync(platform.ClientId, platform.ClientSecret));
        var accountId = await partner.RegisterAsync(platform.PlatformId);
        // 1610 and 1620 share network sub-vertical 1003, so blocking 1610 blocks 1620 too.
        var before = await partner.PutJsonAsync(Controls(accountId), Blocking(1610), Http.NewKey());
        Assert.Equal("Block", PolicyOf(before.Data, 1620));

        await LoadAsync(platform.PlatformId, 1620, 1004);

        var after = await partner.PutJsonAsync(Controls(accountId), Blocking(1610), Http.NewKey());
        Assert.Equal(200, after.Status);
        Assert.Equal("Allow", PolicyOf(after.Data, 1620));
        var read = await PollAsync(partner, Controls(accountId), c => PolicyOf(c, 1620) == "Allow");
        Assert.Equal("Allow", PolicyOf(read, 1620));
    }
}

public sealed class SqliteMappingCacheTests() : MappingCacheTests(StoreKind.Sqlite);
public sealed class PostgresMappingCacheTests() : MappingCacheTests(StoreKind.Postgres);
