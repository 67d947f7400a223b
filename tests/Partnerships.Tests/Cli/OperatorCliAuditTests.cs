using System.Text;
using System.Text.Json;
using Dapper;
using Partnerships.Application;
using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;
using Partnerships.Testing;

namespace Partnerships.Tests.Cli;

/// <summary>The operator CLI's actions in the audit log, on each store: actor cli:&lt;OS user&gt;, the command as the path.</summary>
public abstract class OperatorCliAuditTests(StoreKind kind) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-cli-audit-").FullName;
    private string _connection = "";

    public async Task InitializeAsync() => _connection = kind == StoreKind.Sqlite
        ? $"Data Source={Path.Combine(_data, "partnerships.db")}"
        : await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    /// <summary>The secrets key the CLI seals webhook secrets with (required with PostgreSQL, like the server's).</summary>
    private static readonly string SecretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private Database Database => new(new StoreOptions(kind == StoreKind.Sqlite ? StoreProvider.Sqlite : StoreProvider.Postgres, _connection));

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
        => CliProcess.RunAsync([.. args, "--provider", kind == StoreKind.Sqlite ? "sqlite" : "postgres", "--connection", _connection, "--data-dir", _data],
            new Dictionary<string, string> { ["Secrets__EncryptionKey"] = SecretKey });

    private async Task<JsonElement> JsonAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.Exit == 0, $"{string.Join(' ', args)}: {result.Err}");
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    [Fact]
    public async Task Every_CLI_action_and_refusal_leaves_an_entry_as_the_OS_user_and_no_secret_reaches_the_audit_log()
    {
        Assert.Equal(0, (await RunAsync("migrate")).Exit);
        var secrets = new List<string>();
        var platformId = (await JsonAsync("platforms", "create", "--name", "cli-audited")).GetProperty("platform_parent_account_id").GetString()!;
        var credential = await JsonAsync("credentials", "issue", "--platform", platformId, "--label", "ci");
        var credentialId = credential.GetProperty("credential_id").GetString()!;
        secrets.Add(credential.GetProperty("client_secret").GetString()!);
        secrets.Add((await JsonAsync("credentials", "rotate", "--credential", credentialId)).GetProperty("client_secret").GetString()!);
        await JsonAsync("credentials", "revoke", "--credential", credentialId);

        var key = await JsonAsync("admin-keys", "create", "--label", "ops");
        var keyId = key.GetProperty("id").GetString()!;
        secrets.Add(key.GetProperty("admin_key").GetString()!);
        var rotated = await JsonAsync("admin-keys", "rotate", "--id", keyId);
        Assert.Equal(keyId, rotated.GetProperty("id").GetString());
        secrets.Add(rotated.GetProperty("admin_key").GetString()!);
        var listed = await RunAsync("admin-keys", "list");
        Assert.Contains(keyId, listed.Out);
        Assert.DoesNotContain("padm_", listed.Out);
        await JsonAsync("admin-keys", "revoke", "--id", keyId);
        Assert.Equal(2, (await RunAsync("admin-keys", "revoke", "--id", keyId)).Exit);

        var csv = Path.Combine(_data, "mappings.csv");
        await File.WriteAllTextAsync(csv, "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n1,2,Food,Beer,1004\n");
        await JsonAsync("taxonomy", "load");
        await JsonAsync("mappings", "load", "--platform", platformId, "--file", csv);
        var hook = await JsonAsync("webhooks", "set", "--platform", platformId, "--url", "https://127.0.0.1:9/hooks", "--allow-private");
        secrets.Add(hook.GetProperty("secret").GetString()!);
        secrets.Add((await JsonAsync("webhooks", "rotate-secret", "--platform", platformId)).GetProperty("secret").GetString()!);
        await JsonAsync("webhooks", "enable", "--platform", platformId);
        var demo = await JsonAsync("seed-demo");
        secrets.AddRange(demo.GetProperty("platforms").EnumerateArray().Select(p => p.GetProperty("client_secret").GetString()!));
        Assert.Equal(2, demo.GetProperty("platforms").GetArrayLength());
        var again = await JsonAsync("seed-demo");
        Assert.Equal(0, again.GetProperty("platforms").GetArrayLength());

        Assert.Equal(2, (await RunAsync("relationship", "revoke", "--account", Guid.NewGuid().ToString())).Exit);
        Assert.Equal(2, (await RunAsync("outbox", "replay", "--id", "424242")).Exit);

        var actor = "cli:" + Environment.UserName;
        var entries = (await JsonAsync("audit", "--actor", actor, "--limit", "1000")).EnumerateArray().ToArray();
        string[] committed =
        [
            "platform.create", "credential.issue", "credential.rotate", "credential.revoke", "admin_key.create", "admin_key.rotate",
            "admin_key.revoke", "taxonomy.load", "mappings.load", "webhook.set_url", "webhook.rotate_secret", "webhook.enable", "demo.seed",
        ];
        Assert.Equal(committed, entries.Where(e => e.GetProperty("outcome").GetString() == "committed").Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(["admin_key.revoke", "relationship.revoke", "outbox.replay"],
            entries.Where(e => e.GetProperty("outcome").GetString() == "rejected").Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal(actor, e.GetProperty("actor").GetString());
            Assert.Equal("CLI", e.GetProperty("method").GetString());
        });
        var create = Assert.Single(entries, e => e.GetProperty("action").GetString() == "platform.create");
        Assert.Equal("partnerships platforms create", create.GetProperty("path").GetString());
        Assert.Equal("platform:" + platformId, create.GetProperty("target").GetString());
        Assert.Equal("admin_key:" + keyId, entries.Single(e => e.GetProperty("action").GetString() == "admin_key.rotate").GetProperty("target").GetString());
        Assert.Equal(409, entries.Single(e => e.GetProperty("action").GetString() == "admin_key.revoke" && e.GetProperty("outcome").GetString() == "rejected")
            .GetProperty("status").GetInt32());
        Assert.Equal(404, entries.Single(e => e.GetProperty("action").GetString() == "outbox.replay").GetProperty("status").GetInt32());

        // The CLI's filters narrow the same way the admin route's do.
        Assert.Equal(3, (await JsonAsync("audit", "--outcome", "rejected")).GetArrayLength());
        Assert.Equal(1, (await JsonAsync("audit", "--path", "partnerships platforms create")).GetArrayLength());
        Assert.Equal(1, (await JsonAsync("audit", "--action", "credential.rotate")).GetArrayLength());
        // platform.create, credential issue/rotate/revoke, mappings.load, webhook set/rotate/enable
        Assert.Equal(8, (await JsonAsync("audit", "--platform", platformId)).GetArrayLength());
        Assert.Equal(1, (await JsonAsync("audit", "--platform", platformId, "--action", "webhook.enable")).GetArrayLength());
        Assert.Equal(0, (await JsonAsync("audit", "--actor", "cli:nobody-else")).GetArrayLength());
        Assert.Equal(0, (await JsonAsync("audit", "--from", "2999-01-01T00:00:00Z")).GetArrayLength());
        Assert.NotEqual(0, (await RunAsync("audit", "--outcome", "maybe")).Exit);

        await using var connection = await Database.OpenAsync();
        var text = new StringBuilder();
        foreach (IDictionary<string, object?> row in await connection.QueryAsync("SELECT * FROM audit_log"))
        {
            foreach (var value in row.Values) text.Append(value).Append('\n');
        }
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secrets.Hash(secret), text.ToString(), StringComparison.Ordinal);
        }
    }
}

public sealed class SqliteOperatorCliAuditTests() : OperatorCliAuditTests(StoreKind.Sqlite);

public sealed class PostgresOperatorCliAuditTests() : OperatorCliAuditTests(StoreKind.Postgres);
