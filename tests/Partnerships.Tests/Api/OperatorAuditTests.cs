using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Partnerships.Application;
using Partnerships.Core.Taxonomy;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Operator actions and refused operator attempts on the admin surface, as the audit log records them.</summary>
public abstract class OperatorAuditTests(StoreKind kind)
{
    private static readonly Dictionary<string, string?> Settings = new() { ["Webhooks:AllowPrivateTargets"] = "true" };

    private static async Task<JsonElement[]> AuditAsync(HttpClient admin, string query)
    {
        var reply = await admin.GetJsonAsync("/admin/v1/audit?limit=1000&" + query);
        Assert.Equal(200, reply.Status);
        return reply.Data.EnumerateArray().ToArray();
    }

    private static JsonElement Single(IEnumerable<JsonElement> entries, string action, string? outcome = "committed") =>
        Assert.Single(entries, e => e.GetProperty("action").GetString() == action && (outcome is null || e.GetProperty("outcome").GetString() == outcome));

    /// <summary>Every text in every audit row, for a search for secrets.</summary>
    private static async Task<string> AuditTextAsync(TestServer server)
    {
        await using var connection = await server.Database.OpenAsync();
        var text = new StringBuilder();
        foreach (IDictionary<string, object?> row in await connection.QueryAsync("SELECT * FROM audit_log"))
        {
            foreach (var value in row.Values) text.Append(value).Append('\n');
        }
        return text.ToString();
    }

    private static void AssertNoSecret(string audit, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(Secrets.Hash(secret), audit, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<long> InsertDeadMessageAsync(TestServer server)
    {
        await using var connection = await server.Database.OpenAsync();
        var now = Partnerships.Storage.Database.Timestamp(DateTimeOffset.UtcNow);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO outbox_messages (message_id, channel, topic, payload, status, attempts, next_attempt_at, created_at, last_error)
            VALUES (@id, 'email', 'test.dead', '{}', 'dead', 8, @now, @now, 'gave up') RETURNING id
            """, new { id = Guid.NewGuid().ToString(), now });
    }

    [Fact]
    public async Task Every_operator_action_on_the_admin_surface_leaves_one_entry_naming_the_admin_key_the_action_its_target_and_the_outcome()
    {
        await using var server = await TestServer.StartAsync(kind, Settings);
        using var admin = server.AdminClient();
        var secrets = new List<string> { server.AdminKey, server.DemoOne.ClientSecret, server.DemoMcc.ClientSecret };

        var platform = (await admin.PostJsonAsync("/admin/v1/platforms", new { name = "audited-platform" })).Data;
        var platformId = platform.GetProperty("platform_parent_account_id").GetString()!;
        var issued = (await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials?label=ci", null)).Data;
        var credentialId = issued.GetProperty("credential_id").GetString()!;
        secrets.Add(issued.GetProperty("client_secret").GetString()!);
        secrets.Add((await admin.PostJsonAsync($"/admin/v1/credentials/{credentialId}/rotate", null)).Data.GetProperty("client_secret").GetString()!);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/credentials/{credentialId}/revoke", null)).Status);

        var key = (await admin.PostJsonAsync("/admin/v1/admin-keys?label=second", null)).Data;
        var keyId = key.GetProperty("id").GetString()!;
        secrets.Add(key.GetProperty("admin_key").GetString()!);
        secrets.Add((await admin.PostJsonAsync($"/admin/v1/admin-keys/{keyId}/rotate", null)).Data.GetProperty("admin_key").GetString()!);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/admin-keys/{keyId}/revoke", null)).Status);

        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/vertical-mappings",
            new { partnerVerticalId = 1, partnerSubVerticalId = 2, partnerSubVerticalName = "Beer", networkSubVerticalId = 1004 })).Status);
        string tsv;
        using (var reader = new StreamReader(typeof(NetworkTaxonomyParser).Assembly.GetManifestResourceStream(NetworkTaxonomyParser.DefaultResource)!))
        {
            tsv = await reader.ReadToEndAsync();
        }
        Assert.Equal(200, (await Http.ReadAsync(await admin.PutAsync("/admin/v1/network-taxonomy", new StringContent(tsv, Encoding.UTF8, "text/tab-separated-values")))).Status);

        using var partner = await server.DemoClientAsync();
        var accountId = await partner.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{accountId}/relationship/revoke", null)).Status);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{accountId}/relationship/restore", null)).Status);

        var hook = $"/admin/v1/platforms/{platformId}/webhook";
        var set = await admin.PutJsonAsync(hook, new { url = "https://127.0.0.1:9/hooks?token=receiver-token-123" });
        Assert.Equal(200, set.Status);
        secrets.Add(set.Data.GetProperty("secret").GetString()!);
        secrets.Add((await admin.PostJsonAsync(hook + "/rotate-secret", null)).Data.GetProperty("secret").GetString()!);
        Assert.Equal(200, (await admin.PostJsonAsync(hook + "/enable", null)).Status);

        var dead = await InsertDeadMessageAsync(server);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/outbox/{dead}/replay", null)).Status);

        var entries = await AuditAsync(admin, "actor=" + server.AdminKeyId);
        Assert.All(entries, e =>
        {
            Assert.Equal(server.AdminKeyId, e.GetProperty("actor").GetString());
            Assert.Equal("committed", e.GetProperty("outcome").GetString());
            Assert.StartsWith("/admin/v1/", e.GetProperty("path").GetString());
        });
        var created = Single(entries, "platform.create");
        Assert.Equal("platform:" + platformId, created.GetProperty("target").GetString());
        Assert.Equal(platformId, created.GetProperty("platform_id").GetString());
        Assert.Equal(201, created.GetProperty("status").GetInt32());
        Assert.Equal("audited-platform", created.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("credential:" + credentialId, Single(entries, "credential.issue").GetProperty("target").GetString());
        var rotated = Single(entries, "credential.rotate");
        // The default rotation keeps the old secret for the grace: same generation, so outstanding tokens live on.
        Assert.Equal(1, rotated.GetProperty("before").GetProperty("generation").GetInt32());
        Assert.Equal(1, rotated.GetProperty("after").GetProperty("generation").GetInt32());
        Assert.Equal(JsonValueKind.String, rotated.GetProperty("after").GetProperty("previous_secret_expires_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, Single(entries, "credential.revoke").GetProperty("before").GetProperty("revoked_at").ValueKind);
        Assert.Equal("admin_key:" + keyId, Single(entries, "admin_key.create").GetProperty("target").GetString());
        Assert.Equal("admin_key:" + keyId, Single(entries, "admin_key.rotate").GetProperty("target").GetString());
        Assert.Equal("admin_key:" + keyId, Single(entries, "admin_key.revoke").GetProperty("target").GetString());
        Assert.Equal(1, Single(entries, "mappings.load").GetProperty("after").GetProperty("inserted").GetInt32());
        Assert.Equal("network-taxonomy", Single(entries, "taxonomy.load").GetProperty("target").GetString());
        var revoked = Single(entries, "relationship.revoke");
        Assert.Equal(accountId, revoked.GetProperty("account_id").GetString());
        Assert.Equal(server.DemoOne.PlatformParentAccountId, revoked.GetProperty("platform_id").GetString());
        Assert.Equal("active", revoked.GetProperty("before").GetProperty("relationship_status").GetString());
        Assert.Equal("revoked", revoked.GetProperty("after").GetProperty("relationship_status").GetString());
        Assert.Equal("revoked", Single(entries, "relationship.restore").GetProperty("before").GetProperty("relationship_status").GetString());
        var url = Single(entries, "webhook.set_url");
        Assert.Equal("platform:" + platformId, url.GetProperty("target").GetString());
        Assert.Equal("https://127.0.0.1:9/hooks?…", url.GetProperty("after").GetProperty("url").GetString());
        Single(entries, "webhook.rotate_secret");
        Assert.Equal("enabled", Single(entries, "webhook.enable").GetProperty("after").GetProperty("status").GetString());
        var replay = Single(entries, "outbox.replay");
        Assert.Equal($"outbox:{dead}", replay.GetProperty("target").GetString());
        Assert.Equal(15, entries.Length);

        var audit = await AuditTextAsync(server);
        AssertNoSecret(audit, secrets);
        Assert.DoesNotContain("receiver-token-123", audit);
        Assert.DoesNotContain("whsec_", audit);
    }

    [Fact]
    public async Task A_refused_admin_attempt_leaves_a_rejected_entry_and_changes_nothing()
    {
        await using var server = await TestServer.StartAsync(kind, Settings);
        using var admin = server.AdminClient();
        var revokedKey = (await admin.PostJsonAsync("/admin/v1/admin-keys", null)).Data;
        var revokedId = revokedKey.GetProperty("id").GetString()!;
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/admin-keys/{revokedId}/revoke", null)).Status);
        var tables = StoreSnapshot.StateTables.Append("admin_keys").Append("webhook_endpoints").Append("outbox_messages").ToArray();
        var before = await StoreSnapshot.TakeAsync(server.Database, tables);

        using var anonymous = server.Client();
        using var unknown = server.Client(Secrets.NewAdminKey());
        using var revoked = server.Client(revokedKey.GetProperty("admin_key").GetString());
        using var partner = await server.DemoClientAsync();
        var attempts = new (HttpClient Client, HttpMethod Method, string Path, string? Body, int Status, string? Actor, string Action)[]
        {
            (anonymous, HttpMethod.Post, "/admin/v1/platforms", """{"name":"x1"}""", 401, null, "admin.auth"),
            (unknown, HttpMethod.Post, "/admin/v1/admin-keys", null, 401, null, "admin.auth"),
            (revoked, HttpMethod.Get, "/admin/v1/platforms", null, 401, revokedId, "admin.auth"),
            (partner, HttpMethod.Post, "/admin/v1/platforms", """{"name":"x2"}""", 403, null, "admin.auth"),
            (admin, HttpMethod.Post, "/admin/v1/platforms", """{"name":""}""", 400, server.AdminKeyId, "admin.request"),
            (admin, HttpMethod.Post, "/admin/v1/platforms", """{"name":"demo-shopfront"}""", 409, server.AdminKeyId, "platform.create"),
            (admin, HttpMethod.Post, "/admin/v1/platforms", """{"name":""", 400, server.AdminKeyId, "admin.request"),
            (admin, HttpMethod.Post, $"/admin/v1/platforms/{Guid.NewGuid()}/credentials", null, 404, server.AdminKeyId, "credential.issue"),
            (admin, HttpMethod.Post, $"/admin/v1/credentials/{Guid.NewGuid()}/rotate", null, 404, server.AdminKeyId, "credential.rotate"),
            (admin, HttpMethod.Post, $"/admin/v1/admin-keys/{revokedId}/rotate", null, 409, server.AdminKeyId, "admin_key.rotate"),
            (admin, HttpMethod.Post, $"/admin/v1/accounts/{Guid.NewGuid()}/relationship/revoke", null, 404, server.AdminKeyId, "relationship.revoke"),
            (admin, HttpMethod.Put, $"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook", """{"url":"ftp://x"}""", 400, server.AdminKeyId, "webhook.set_url"),
            (admin, HttpMethod.Post, "/admin/v1/outbox/987654/replay", null, 404, server.AdminKeyId, "outbox.replay"),
            (admin, HttpMethod.Get, "/admin/v1/audit?outcome=maybe", null, 400, server.AdminKeyId, "admin.request"),
            (admin, HttpMethod.Get, "/admin/v1/no-such-route", null, 404, server.AdminKeyId, "admin.request"),
            (admin, HttpMethod.Delete, "/admin/v1/platforms", null, 405, server.AdminKeyId, "admin.request"),
            (anonymous, HttpMethod.Get, "/admin/v1/no-such-route", null, 401, null, "admin.auth"),
        };
        foreach (var a in attempts)
        {
            var reply = await a.Client.SendAsync(a.Method, a.Path, a.Body);
            Assert.True(a.Status == reply.Status, $"{a.Method} {a.Path}: {reply}");
            var requestId = reply.Json.GetProperty("request_id").GetString();
            var entry = Assert.Single(await AuditAsync(admin, "request_id=" + requestId));
            Assert.Equal("rejected", entry.GetProperty("outcome").GetString());
            Assert.Equal(a.Status, entry.GetProperty("status").GetInt32());
            Assert.Equal(a.Action, entry.GetProperty("action").GetString());
            Assert.Equal(a.Actor, entry.GetProperty("actor").GetString());
            Assert.Equal(a.Path.Split('?')[0], entry.GetProperty("path").GetString());
            Assert.Equal(a.Method.Method, entry.GetProperty("method").GetString());
        }
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, tables));
        AssertNoSecret(await AuditTextAsync(server), [server.AdminKey, revokedKey.GetProperty("admin_key").GetString()!]);
    }

    [Fact]
    public async Task A_rotated_admin_key_stops_working_at_once_its_replacement_works_and_a_revoked_key_answers_401()
    {
        await using var server = await TestServer.StartAsync(kind, Settings);
        using var admin = server.AdminClient();
        var created = (await admin.PostJsonAsync("/admin/v1/admin-keys?label=rotating", null)).Data;
        var id = created.GetProperty("id").GetString()!;
        var oldKey = created.GetProperty("admin_key").GetString()!;
        Assert.StartsWith("padm_", oldKey);
        using (var old = server.Client(oldKey)) Assert.Equal(200, (await old.GetJsonAsync("/admin/v1/platforms")).Status);

        var rotated = await admin.PostJsonAsync($"/admin/v1/admin-keys/{id}/rotate", null);
        Assert.Equal(200, rotated.Status);
        Assert.Equal(id, rotated.Data.GetProperty("id").GetString());
        var newKey = rotated.Data.GetProperty("admin_key").GetString()!;
        Assert.NotEqual(oldKey, newKey);
        using (var old = server.Client(oldKey)) Assert.Equal(401, (await old.GetJsonAsync("/admin/v1/platforms")).Status);
        using (var fresh = server.Client(newKey)) Assert.Equal(200, (await fresh.GetJsonAsync("/admin/v1/platforms")).Status);

        // The list shows ids, labels and dates, never a key or its hash.
        var listed = await admin.GetJsonAsync("/admin/v1/admin-keys");
        var row = Assert.Single(listed.Data.EnumerateArray(), k => k.GetProperty("id").GetString() == id);
        Assert.Equal("rotating", row.GetProperty("label").GetString());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("rotated_at").ValueKind);
        Assert.DoesNotContain(newKey, listed.Body);
        Assert.DoesNotContain(Secrets.Hash(newKey), listed.Body);
        Assert.DoesNotContain("padm_", listed.Body);

        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/admin-keys/{id}/revoke", null)).Status);
        using (var fresh = server.Client(newKey)) Assert.Equal(401, (await fresh.GetJsonAsync("/admin/v1/platforms")).Status);
        Assert.Equal(409, (await admin.PostJsonAsync($"/admin/v1/admin-keys/{id}/revoke", null)).Status);
        Assert.Equal(404, (await admin.PostJsonAsync($"/admin/v1/admin-keys/{Guid.NewGuid()}/rotate", null)).Status);
        Assert.Equal(400, (await admin.PostJsonAsync("/admin/v1/admin-keys?label=" + new string('x', 201), null)).Status);
    }

    [Fact]
    public async Task An_admin_key_computed_from_the_signing_key_the_way_the_embedded_default_once_did_is_refused()
    {
        await using var server = await TestServer.StartAsync(kind, Settings);
        var derived = "padm_" + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            Convert.FromBase64String(server.SigningKey), Encoding.UTF8.GetBytes("embedded-admin-key"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var client = server.Client(derived);
        Assert.Equal(401, (await client.GetJsonAsync("/admin/v1/platforms")).Status);
        // Nor is there a row with the id the derived key had (the migration removes it from older stores).
        Assert.Equal(0, await StoreSnapshot.CountAsync(server.Database, "admin_keys", "id = @id", new { id = Secrets.DeterministicId("embedded-admin-key") }));
        Assert.Equal("9c3533cc-5dc2-8e71-88f6-8003f90bf931", Secrets.DeterministicId("embedded-admin-key"));
        // The first admin key of a fresh store is random and works.
        Assert.NotNull(server.FirstAdminKey);
        Assert.NotEqual(derived, server.FirstAdminKey!.AdminKey);
        using var first = server.Client(server.FirstAdminKey.AdminKey);
        Assert.Equal(200, (await first.GetJsonAsync("/admin/v1/platforms")).Status);
    }

    [Fact]
    public async Task Each_audit_filter_narrows_the_result_to_the_entries_it_names()
    {
        var clock = new TestClock(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var server = await TestServer.StartAsync(kind, Settings, clock);
        using var admin = server.AdminClient();
        var second = (await admin.PostJsonAsync("/admin/v1/admin-keys", null)).Data;
        using var other = server.Client(second.GetProperty("admin_key").GetString());
        var otherId = second.GetProperty("id").GetString()!;

        clock.Advance(TimeSpan.FromHours(1));
        var platformId = (await other.PostJsonAsync("/admin/v1/platforms", new { name = "filtered" })).Data.GetProperty("platform_parent_account_id").GetString()!;
        Assert.Equal(404, (await other.PostJsonAsync($"/admin/v1/credentials/{Guid.NewGuid()}/rotate", null)).Status);
        clock.Advance(TimeSpan.FromHours(1));
        using var partner = await server.DemoClientAsync();
        var accountId = await partner.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/accounts/{accountId}/relationship/revoke", null)).Status);

        var all = await AuditAsync(admin, "");
        async Task Narrows(string query, Func<JsonElement, bool> expected)
        {
            var filtered = await AuditAsync(admin, query);
            Assert.NotEmpty(filtered);
            Assert.True(filtered.Length < all.Length, query);
            Assert.Equal(all.Where(expected).Select(e => e.GetProperty("id").GetInt64()), filtered.Select(e => e.GetProperty("id").GetInt64()));
        }
        await Narrows("actor=" + otherId, e => e.GetProperty("actor").GetString() == otherId);
        await Narrows("platform_id=" + platformId, e => e.GetProperty("platform_id").GetString() == platformId);
        await Narrows("account_id=" + accountId, e => e.GetProperty("account_id").GetString() == accountId);
        await Narrows("path=/admin/v1/platforms", e => e.GetProperty("path").GetString() == "/admin/v1/platforms");
        await Narrows("outcome=rejected", e => e.GetProperty("outcome").GetString() == "rejected");
        await Narrows("action=relationship.revoke", e => e.GetProperty("action").GetString() == "relationship.revoke");
        await Narrows("from=2030-01-01T00:30:00Z&to=2030-01-01T01:30:00Z", e => string.CompareOrdinal(e.GetProperty("at").GetString(), "2030-01-01T00:30") > 0
            && string.CompareOrdinal(e.GetProperty("at").GetString(), "2030-01-01T01:30") < 0);
        await Narrows("actor=" + otherId + "&outcome=committed", e => e.GetProperty("actor").GetString() == otherId && e.GetProperty("outcome").GetString() == "committed");
        Assert.Contains("outcome", (await admin.GetJsonAsync("/admin/v1/audit?outcome=bogus")).DetailFields);
    }
}

public sealed class SqliteOperatorAuditTests() : OperatorAuditTests(StoreKind.Sqlite);

public sealed class PostgresOperatorAuditTests() : OperatorAuditTests(StoreKind.Postgres);
