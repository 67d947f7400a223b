using Dapper;
using Partnerships.Storage;
using Partnerships.Storage.DataMigrations;
using Partnerships.Storage.Secrets;
using Partnerships.Testing;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Webhook signing secrets are sealed in the store, still sign deliveries, and clear ones are sealed by the migration.</summary>
public abstract class SecretsAtRestTests(StoreKind kind) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;
    private string? _tempDir;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartNewAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        if (_tempDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_tempDir, recursive: true); } catch (IOException) { }
        }
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Outbox:PollMilliseconds"] = "50",
        ["Email:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "partnerships-test-mail"),
    };

    private static async Task<(string Secret, string? Previous)> StoredAsync(Database db, string platformId)
    {
        await using var connection = await db.OpenAsync();
        return await connection.QuerySingleAsync<(string, string?)>(
            "SELECT secret, previous_secret FROM webhook_endpoints WHERE platform_id = @platformId", new { platformId });
    }

    private async Task<string> FreshConnectionStringAsync()
    {
        if (kind == StoreKind.Postgres) return await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        _tempDir = Directory.CreateTempSubdirectory("partnerships-seal-").FullName;
        return $"Data Source={Path.Combine(_tempDir, "partnerships.db")}";
    }

    private async Task AssertDeliveredSignedAsync(TestServer server)
    {
        using var client = await server.DemoClientAsync();
        await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var received = await _receiver.WaitForAsync(r => r.Count > 0);
        Assert.All(received, r => Assert.True(r.SignatureValid, r.Signature));
    }

    [Fact]
    public async Task Webhook_secrets_are_sealed_in_the_store_and_deliveries_are_still_signed_with_them()
    {
        await using var server = await TestServer.StartAsync(kind, Settings());
        var platformId = server.DemoOne.PlatformParentAccountId;
        using var admin = server.AdminClient();
        var set = await admin.PutJsonAsync($"/admin/v1/platforms/{platformId}/webhook", new { url = _receiver.Url });
        var first = set.Data.GetProperty("secret").GetString()!;
        var rotated = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/webhook/rotate-secret", null);
        var second = rotated.Data.GetProperty("secret").GetString()!;

        var (secret, previous) = await StoredAsync(server.Database, platformId);
        Assert.StartsWith(SecretBox.Prefix, secret);
        Assert.StartsWith(SecretBox.Prefix, previous);
        foreach (var clear in new[] { first, second })
        {
            Assert.DoesNotContain(clear["whsec_".Length..], secret + previous);
        }
        var box = new SecretBox(Convert.FromBase64String(server.SecretKey));
        Assert.Equal(second, box.Open(secret, SealWebhookSecrets.Context(platformId)));
        Assert.Equal(first, box.Open(previous!, SealWebhookSecrets.Context(platformId)));
        // Bound to its row: the same sealed value does not open as another platform's secret.
        Assert.Throws<InvalidOperationException>(() => box.Open(secret, SealWebhookSecrets.Context(server.DemoMcc.PlatformParentAccountId)));

        _receiver.Secret = second;
        _receiver.PreviousSecret = first;
        await AssertDeliveredSignedAsync(server);
    }

    [Fact]
    public async Task The_migration_seals_secrets_stored_in_clear_and_refuses_in_one_line_without_a_key()
    {
        var connectionString = await FreshConnectionStringAsync();
        var signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var secretKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        string platformId;
        await using (var first = await TestServer.StartAsync(kind, Settings(), connectionString: connectionString, signingKey: signingKey,
            secretKey: Convert.ToBase64String(secretKey)))
        {
            platformId = first.DemoOne.PlatformParentAccountId;
            using var admin = first.AdminClient();
            Assert.Equal(200, (await admin.PutJsonAsync($"/admin/v1/platforms/{platformId}/webhook", new { url = _receiver.Url })).Status);
        }

        // The store as a version before sealing left it: the secret in clear and migration 7 not applied.
        var clear = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var db = new Database(new StoreOptions(kind == StoreKind.Sqlite ? StoreProvider.Sqlite : StoreProvider.Postgres, connectionString));
        await using (var connection = await db.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE webhook_endpoints SET secret = @clear WHERE platform_id = @platformId", new { clear, platformId });
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 7");
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => new Migrator(db).MigrateAsync());
        Assert.Contains("Secrets:EncryptionKey", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(clear, (await StoredAsync(db, platformId)).Secret); // nothing half-done
        Assert.Single(await new Migrator(db).PendingAsync());

        var applied = await new Migrator(db, new MigrationContext { SecretKey = secretKey }).MigrateAsync();
        Assert.Equal([7], applied.Select(m => m.Version));
        var stored = (await StoredAsync(db, platformId)).Secret;
        Assert.StartsWith(SecretBox.Prefix, stored);
        Assert.Equal(clear, new SecretBox(secretKey).Open(stored, SealWebhookSecrets.Context(platformId)));

        // The server on the migrated store signs with the secret the partner has always had.
        await using var second = await TestServer.StartAsync(kind, Settings(), connectionString: connectionString, signingKey: signingKey,
            secretKey: Convert.ToBase64String(secretKey));
        _receiver.Secret = clear;
        await AssertDeliveredSignedAsync(second);
    }

    [Fact]
    public async Task PostgreSQL_without_a_secrets_key_refuses_to_start_with_one_clear_line()
    {
        var connectionString = kind == StoreKind.Postgres ? await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync() : "Host=127.0.0.1";
        var error = Assert.Throws<Partnerships.Api.Hosting.StartupException>(() => Partnerships.Api.Hosting.PartnershipsApp.Create(
            ["--Store:Provider=postgres", $"--Store:ConnectionString={connectionString}", "--urls=http://127.0.0.1:0",
             $"--Store:DataDirectory={Path.Combine(Path.GetTempPath(), "partnerships-test-data")}"]));
        Assert.StartsWith("Secrets:EncryptionKey is required with postgres", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

public sealed class SqliteSecretsAtRestTests() : SecretsAtRestTests(StoreKind.Sqlite);
public sealed class PostgresSecretsAtRestTests() : SecretsAtRestTests(StoreKind.Postgres);
