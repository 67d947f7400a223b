using System.Text.Json;
using Dapper;
using Partnerships.Core.Controls;
using Partnerships.Core.Taxonomy;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;
using Partnerships.Testing;

namespace Partnerships.Tests.Api;

/// <summary>
/// Data migration 3 on a store written before the text rules: values with control characters (NUL too, where the store
/// can hold one) are written with direct SQL at version 2, the store is migrated, and the server on it then serves a
/// marketplace controls GET→PUT round trip, shows every cleaned value and audits each change.
/// </summary>
public abstract class TextMigrationTests(StoreKind kind) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("partnerships-textmig-").FullName;
    private string _connectionString = "";
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    private readonly string _platformId = "legacy-" + Guid.NewGuid().ToString("N");
    private readonly string _twinId = "twin-" + Guid.NewGuid().ToString("N");
    private readonly string _dirty = Guid.NewGuid().ToString();
    private readonly string _clean = Guid.NewGuid().ToString();
    private readonly string _empty = Guid.NewGuid().ToString();
    private readonly string _credentialId = Guid.NewGuid().ToString();
    private readonly string _adminKeyId = Guid.NewGuid().ToString();

    /// <summary>PostgreSQL text cannot hold NUL at all (the service never could store one there), so its dirty values start at U+0001.</summary>
    private string Nul => kind == StoreKind.Sqlite ? "\0" : "\u0001";

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
    public async Task Stored_values_that_break_the_rules_are_cleaned_and_a_controls_GET_PUT_round_trip_succeeds()
    {
        var db = Db;
        await new Migrator(db).MigrateToAsync(2);
        var oldHashes = await WriteLegacyDataAsync(db);

        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Store:DataDirectory"] = _dir },
            connectionString: _connectionString);
        using var admin = server.AdminClient();
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{_platformId}/credentials", null);
        Assert.Equal(201, issued.Status);
        using var client = server.Client(await server.TokenAsync(issued.Data.GetProperty("client_id").GetString()!, issued.Data.GetProperty("client_secret").GetString()!));

        // The round trip: exactly what the GET returned goes back, with its hash as If-Match and in the body.
        foreach (var (accountId, name) in new[] { (_dirty, "Acme Network Controls"), (_clean, "Clean Controls"), (_empty, "Marketplace controls") })
        {
            var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";
            var get = await client.GetJsonAsync(path);
            Assert.Equal(200, get.Status);
            Assert.Equal(name, get.Data.GetProperty("name").GetString());
            var hash = get.Data.GetProperty("contentHash").GetString()!;
            var body = new Dictionary<string, object?>
            {
                ["name"] = get.Data.GetProperty("name").GetString(),
                ["blockedVerticals"] = get.Data.GetProperty("blockedVerticals"),
                ["domains"] = get.Data.GetProperty("domains"),
                ["contentHash"] = hash,
            };
            var put = await client.PutJsonAsync(path, body, Http.NewKey(), new Dictionary<string, string> { ["If-Match"] = get.Header("ETag")! });
            Assert.True(put.Status == 200, put.ToString());
            Assert.Equal(hash, put.Data.GetProperty("contentHash").GetString()); // identical content: a no-op
            if (accountId == _clean)
            {
                Assert.Equal(oldHashes[accountId], hash); // untouched rows keep their revision and hash
            }
            else
            {
                // Cleaning changed the stored state, so it is the next revision with a new hash.
                Assert.NotEqual(oldHashes[accountId], hash);
                Assert.StartsWith("v4-", hash);
                Assert.Equal(ContentHash.Compute(4, new MclState(name, [new BlockedVertical(1500, 1610, Policy.Block, Policy.Block)],
                    [new DomainRule("competitor.example.com", Policy.Block)])), hash);
            }
        }

        // A client still holding the old hash learns the current one, as after any change.
        var stale = await client.PutJsonAsync($"/v1/partnership/accounts/{_dirty}/marketplacecontrolslists", new
        {
            name = "Acme Network Controls", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>(), contentHash = oldHashes[_dirty],
        }, Http.NewKey());
        Assert.Equal(409, stale.Status);

        foreach (var (accountId, brand) in new[] { (_dirty, "Acme Outdoor"), (_empty, "Unnamed merchant"), (_clean, "Clean Brand") })
        {
            var account = await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}");
            Assert.True(account.Status == 200, account.ToString());
            Assert.Equal(brand, account.Data.GetProperty("brand").GetString());
        }

        var mapping = (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Data.EnumerateArray().Single();
        Assert.Equal("Alcohol", mapping.GetProperty("partnerVerticalName").GetString());
        Assert.Equal("Beer Bcc: x@example.com", mapping.GetProperty("partnerSubVerticalName").GetString());

        var platforms = (await admin.GetJsonAsync("/admin/v1/platforms")).Data.EnumerateArray()
            .ToDictionary(p => p.GetProperty("platform_parent_account_id").GetString()!, p => p.GetProperty("name").GetString()!);
        Assert.Equal("Legacy Shop", platforms[_twinId]); // the clean one keeps its name
        Assert.Equal($"Legacy Shop ({_platformId[..8]})", platforms[_platformId]); // unique names stay unique

        var credential = (await admin.GetJsonAsync($"/admin/v1/platforms/{_platformId}/credentials")).Data.EnumerateArray()
            .Single(c => c.GetProperty("credential_id").GetString() == _credentialId);
        Assert.Equal("ci key", credential.GetProperty("label").GetString());

        var taxonomy = (await admin.GetJsonAsync("/admin/v1/network-taxonomy")).Data.EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt64(), c => c.GetProperty("name").GetString()!);
        Assert.Equal("Beer and Cider", taxonomy[1004]);

        // Every stored text obeys the rule now, and each cleaned row left an audit entry that names the column, not the value.
        await using var connection = await db.OpenAsync();
        Assert.Null(TextRules.Problem(await connection.ExecuteScalarAsync<string>("SELECT label FROM admin_keys WHERE id = @_adminKeyId", new { _adminKeyId }) ?? ""));
        Assert.Equal("ops key", await connection.ExecuteScalarAsync<string>("SELECT label FROM admin_keys WHERE id = @_adminKeyId", new { _adminKeyId }));
        foreach (var sql in new[]
        {
            "SELECT brand FROM accounts", "SELECT name FROM marketplace_controls", "SELECT state_json FROM marketplace_controls",
            "SELECT name FROM platforms", "SELECT name FROM network_categories", "SELECT COALESCE(label, '') FROM client_credentials",
            "SELECT COALESCE(partner_vertical_name, '') || COALESCE(partner_sub_vertical_name, '') FROM vertical_mappings",
        })
        {
            foreach (var value in await connection.QueryAsync<string>(sql))
            {
                Assert.True(TextRules.Problem(value) is null && !value.Contains("\\u0000") && !value.Contains("\\r"), $"{sql}: {JsonSerializer.Serialize(value)}");
            }
        }
        var audits = (await connection.QueryAsync<(string Summary, string? HashBefore, string? HashAfter)>(
            "SELECT summary, hash_before, hash_after FROM audit_log WHERE method = 'MIGRATE'")).ToList();
        Assert.Equal(9, audits.Count); // 2 brands, 2 controls lists, 1 mapping row, 1 category, 1 platform, 1 credential, 1 admin key
        Assert.Contains(audits, a => a.Summary.StartsWith("marketplace_controls.name", StringComparison.Ordinal) && a.HashBefore == oldHashes[_dirty] && a.HashAfter is not null);
        Assert.DoesNotContain(audits, a => a.Summary.Contains("Acme", StringComparison.Ordinal));
    }

    /// <summary>Writes, as the service before the rules could have, three accounts (dirty, clean, all-control) and dirty names everywhere else.</summary>
    private async Task<Dictionary<string, string>> WriteLegacyDataAsync(Database db)
    {
        var at = Database.Timestamp(DateTimeOffset.UtcNow);
        await using var connection = await db.OpenAsync();
        var network = NetworkTaxonomyParser.LoadDefault();
        await connection.ExecuteAsync(
            "INSERT INTO network_categories (id, parent_id, name, tier, vertical_id, sub_vertical_id) VALUES (@Id, @ParentId, @Name, @Tier, @VerticalId, @SubVerticalId)",
            network.Select(c => new { c.Id, c.ParentId, Name = c.Id == 1004 ? "Beer\r\nand\tCider\u202E" : c.Name, c.Tier, c.VerticalId, c.SubVerticalId }));
        await connection.ExecuteAsync("INSERT INTO platforms (id, name, created_at) VALUES (@id, @name, @at)", new[]
        {
            new { id = _platformId, name = $"Legacy\nShop{Nul}", at },
            new { id = _twinId, name = "Legacy Shop", at },
        });
        await connection.ExecuteAsync(
            "INSERT INTO client_credentials (id, platform_id, client_id, secret_hash, generation, label, created_at) VALUES (@id, @platformId, @clientId, 'not-a-hash', 1, @label, @at)",
            new { id = _credentialId, platformId = _platformId, clientId = "rspub_legacy" + Guid.NewGuid().ToString("N")[..10], label = "ci\r\nkey", at });
        await connection.ExecuteAsync("INSERT INTO admin_keys (id, key_hash, label, created_at) VALUES (@id, @hash, @label, @at)",
            new { id = _adminKeyId, hash = "legacy-" + Guid.NewGuid().ToString("N"), label = "ops\u007F key\u009B", at });
        await connection.ExecuteAsync(
            """
            INSERT INTO vertical_mappings (platform_id, partner_vertical_id, partner_sub_vertical_id, partner_vertical_name, partner_sub_vertical_name,
                                           network_category_id, network_sub_vertical_id, updated_at)
            VALUES (@platformId, 1500, 1610, @vName, @sName, 1004, 1004, @at)
            """, new { platformId = _platformId, vName = $"Alcohol{Nul}", sName = "Beer\r\nBcc: x@example.com", at });

        var hashes = new Dictionary<string, string>();
        foreach (var (id, brand, name) in new[]
        {
            (_dirty, $"Acme{Nul}\r\nOutdoor\u202E", "Acme\r\nNetwork\tControls\u0085"),
            (_clean, "Clean Brand", "Clean Controls"),
            (_empty, "\r\n\u0007", "\u2028\u0001"),
        })
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO accounts (id, platform_id, external_account_id, brand, partner_vertical_id, partner_sub_vertical_id, network_sub_vertical_id,
                                      country_code, store_identifier, contact_email, status, relationship_status, created_at, updated_at)
                VALUES (@id, @platformId, @external, @brand, 1500, 1610, 1004, 'US', 'https://legacy.example.com', NULL, 'active', 'active', @at, @at)
                """, new { id, platformId = _platformId, external = "ext-" + id, brand, at });
            var state = new MclState(name, [new BlockedVertical(1500, 1610, Policy.Block, Policy.Block)], [new DomainRule("competitor.example.com", Policy.Block)]);
            hashes[id] = ContentHash.Compute(3, state);
            await connection.ExecuteAsync(
                """
                INSERT INTO marketplace_controls (account_id, mcl_id, name, state_json, network_json, revision, content_hash, updated_at)
                VALUES (@id, @mclId, @name, @json, '[]', 3, @hash, @at)
                """, new { id, mclId = Guid.NewGuid().ToString(), name, json = JsonSerializer.Serialize(state, StateJson), hash = hashes[id], at });
        }
        // The dirty values really are stored as written.
        Assert.NotNull(TextRules.Problem(await connection.ExecuteScalarAsync<string>("SELECT brand FROM accounts WHERE id = @_dirty", new { _dirty }) ?? ""));
        return hashes;
    }
}

public sealed class SqliteTextMigrationTests() : TextMigrationTests(StoreKind.Sqlite);
public sealed class PostgresTextMigrationTests() : TextMigrationTests(StoreKind.Postgres);
