using System.Text.Json;
using Dapper;
using Partnerships.Core.Controls;
using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;
using Partnerships.Testing;

namespace Partnerships.Tests.Api;

/// <summary>
/// Migrations 10 and 11 on a store the service wrote before them: an account registered then (controls with an empty
/// name, a page with its one layout) is written with direct SQL at version 9, the server migrates the store, and then
/// the controls GET→PUT round trip succeeds and the page's layout is its active one, ready to switch and switch back.
/// </summary>
public abstract class ControlsNameMigrationTests(StoreKind kind) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("partnerships-namemig-").FullName;
    private string _connectionString = "";
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    private readonly string _platformId = "legacy-" + Guid.NewGuid().ToString("N");
    private readonly string _unnamed = Guid.NewGuid().ToString();
    private readonly string _named = Guid.NewGuid().ToString();
    private readonly string _pageId = Guid.NewGuid().ToString();
    private readonly string _layoutId = Guid.NewGuid().ToString();

    public async Task InitializeAsync() => _connectionString = kind == StoreKind.Sqlite
        ? $"Data Source={Path.Combine(_dir, "partnerships.db")}"
        : await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private Database Db => new(new StoreOptions(kind == StoreKind.Sqlite ? StoreProvider.Sqlite : StoreProvider.Postgres, _connectionString));

    [Fact]
    public async Task An_account_registered_before_the_default_name_gets_it_and_its_page_keeps_its_layout_as_the_active_one()
    {
        var db = Db;
        await new Migrator(db).MigrateToAsync(9);
        var emptyHash = await WriteLegacyAccountsAsync(db);

        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Store:DataDirectory"] = _dir },
            connectionString: _connectionString);
        using var admin = server.AdminClient();
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{_platformId}/credentials", null);
        Assert.Equal(201, issued.Status);
        using var client = server.Client(await server.TokenAsync(issued.Data.GetProperty("client_id").GetString()!, issued.Data.GetProperty("client_secret").GetString()!));

        foreach (var (accountId, name) in new[] { (_unnamed, "Legacy Brand controls"), (_named, "Kept Name") })
        {
            var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
            var get = await client.GetJsonAsync(path);
            Assert.Equal(name, get.Data.GetProperty("name").GetString());
            var hash = get.Data.GetProperty("contentHash").GetString()!;
            var put = await client.PutJsonAsync(path, new Dictionary<string, object?>
            {
                ["name"] = get.Data.GetProperty("name").GetString(), ["blockedVerticals"] = get.Data.GetProperty("blockedVerticals"),
                ["domains"] = get.Data.GetProperty("domains"), ["contentHash"] = hash,
            }, Http.NewKey(), new Dictionary<string, string> { ["If-Match"] = get.Header("ETag")! });
            Assert.True(put.Status == 200, put.ToString());
            Assert.Equal(hash, put.Data.GetProperty("contentHash").GetString());
            if (accountId == _unnamed)
            {
                // Naming it changed the stored state: the next revision, with a new hash.
                Assert.NotEqual(emptyHash, hash);
                Assert.Equal(ContentHash.Compute(1, MclState.Empty with { Name = name }), hash);
            }
        }

        var page = $"/v1/partnership/accounts/{_unnamed}/pages/{_pageId}";
        var read = await client.GetJsonAsync(page);
        Assert.Equal(200, read.Status);
        Assert.Equal(_layoutId, read.Data.GetProperty("layout_id").GetString());
        Assert.Equal("Overlay", read.Data.GetProperty("layout_type").GetString());
        var embedded = await client.PutJsonAsync(page, new { layout_type = "Embedded" }, Http.NewKey());
        Assert.NotEqual(_layoutId, embedded.Data.GetProperty("layout_id").GetString());
        var back = await client.PutJsonAsync(page, new { layout_type = "Overlay" }, Http.NewKey());
        Assert.Equal(_layoutId, back.Data.GetProperty("layout_id").GetString());
        Assert.Equal("#334455", (await client.GetJsonAsync($"/v1/partnership/accounts/{_unnamed}/layouts/{_layoutId}")).Data.GetProperty("primaryColor").GetString());

        await using var connection = await db.OpenAsync();
        var audits = (await connection.QueryAsync<(string AccountId, string? HashBefore, string Summary)>(
            "SELECT account_id, hash_before, summary FROM audit_log WHERE method = 'MIGRATE' AND path = '/data-migrations/11'")).ToList();
        var audit = Assert.Single(audits);
        Assert.Equal((_unnamed, emptyHash), (audit.AccountId, audit.HashBefore));
        Assert.DoesNotContain("Legacy Brand", audit.Summary);
    }

    /// <summary>As registration wrote them before version 10: one unnamed list (revision 0) with a page and its one layout, and one named list.</summary>
    private async Task<string> WriteLegacyAccountsAsync(Database db)
    {
        var at = Database.Timestamp(DateTimeOffset.UtcNow);
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("INSERT INTO platforms (id, name, created_at) VALUES (@id, @name, @at)", new { id = _platformId, name = "Legacy Shop " + _platformId, at });
        string emptyHash = "";
        foreach (var (id, brand, state) in new[] { (_unnamed, "Legacy Brand", MclState.Empty), (_named, "Other Brand", MclState.Empty with { Name = "Kept Name" }) })
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO accounts (id, platform_id, external_account_id, brand, partner_vertical_id, partner_sub_vertical_id, network_sub_vertical_id,
                                      country_code, store_identifier, contact_email, status, relationship_status, created_at, updated_at)
                VALUES (@id, @platformId, @external, @brand, 1500, 1610, 1004, 'US', 'https://legacy.example.com', NULL, 'active', 'active', @at, @at)
                """, new { id, platformId = _platformId, external = "ext-" + id, brand, at });
            var hash = ContentHash.Compute(0, state);
            if (id == _unnamed) emptyHash = hash;
            await connection.ExecuteAsync(
                """
                INSERT INTO marketplace_controls (account_id, mcl_id, name, state_json, network_json, revision, content_hash, updated_at)
                VALUES (@id, @mclId, @Name, @json, '[]', 0, @hash, @at)
                """, new { id, mclId = Guid.NewGuid().ToString(), state.Name, json = JsonSerializer.Serialize(state, StateJson), hash, at });
        }
        await connection.ExecuteAsync("INSERT INTO pages (id, account_id, surface, page_identifier, created_at) VALUES (@_pageId, @_unnamed, 'confirmation', 'confirmation_page', @at)",
            new { _pageId, _unnamed, at });
        await connection.ExecuteAsync(
            """
            INSERT INTO layouts (id, page_id, account_id, layout_type, primary_color, background_color, text_color, close_button_color, border_radius, updated_at)
            VALUES (@_layoutId, @_pageId, @_unnamed, 'Overlay', '#334455', '#ffffff', '#202124', '#5f6368', 8, @at)
            """, new { _layoutId, _pageId, _unnamed, at });
        return emptyHash;
    }
}

public sealed class SqliteControlsNameMigrationTests() : ControlsNameMigrationTests(StoreKind.Sqlite);
public sealed class PostgresControlsNameMigrationTests() : ControlsNameMigrationTests(StoreKind.Postgres);
