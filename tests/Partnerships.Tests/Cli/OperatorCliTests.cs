using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Cli;

/// <summary>The operator CLI as operators run it: a separate process against the store, then the server on that store.</summary>
public sealed class OperatorCliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-cli-").FullName;
    private readonly string _key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly string _secretsKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
        => CliProcess.RunAsync([.. args, "--data-dir", _data],
            new Dictionary<string, string> { ["Auth__SigningKey"] = _key, ["Secrets__EncryptionKey"] = _secretsKey });

    [Fact]
    public async Task Operators_migrate_create_a_platform_issue_a_credential_load_mappings_and_seed_the_demo_from_the_CLI()
    {
        var migrate = await RunAsync("migrate");
        Assert.Equal(0, migrate.Exit);
        Assert.Contains("0001_initial", migrate.Out);
        Assert.Equal(0, (await RunAsync("taxonomy", "load")).Exit);

        var platform = JsonDocument.Parse((await RunAsync("platforms", "create", "--name", "cli-platform")).Out).RootElement;
        var platformId = platform.GetProperty("platform_parent_account_id").GetString()!;
        var credential = JsonDocument.Parse((await RunAsync("credentials", "issue", "--platform", platformId)).Out).RootElement;
        Assert.StartsWith("rsec_", credential.GetProperty("client_secret").GetString());

        var bad = Path.Combine(_data, "bad.csv");
        await File.WriteAllTextAsync(bad, "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n1,2,Food,Beer,1004\n1,3,Food,Nowhere,999999\n");
        var rejected = await RunAsync("mappings", "load", "--platform", platformId, "--file", bad);
        Assert.Equal(2, rejected.Exit);
        Assert.Contains("line 3", rejected.Err);
        var listed = await RunAsync("mappings", "list", "--platform", platformId);
        Assert.Equal("[]", listed.Out.Trim()); // atomic: the good row was not loaded either

        var good = Path.Combine(_data, "good.csv");
        await File.WriteAllTextAsync(good, "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n1,2,Food,Beer,1004\n");
        Assert.Equal(0, (await RunAsync("mappings", "load", "--platform", platformId, "--file", good)).Exit);
        Assert.Contains("\"network_sub_vertical_id\":1004", (await RunAsync("mappings", "list", "--platform", platformId)).Out);

        var seeded = await RunAsync("seed-demo");
        var again = await RunAsync("seed-demo");
        Assert.Equal(0, seeded.Exit);
        var demo = JsonDocument.Parse(seeded.Out).RootElement.GetProperty("platforms");
        Assert.Equal(2, demo.GetArrayLength());
        // Idempotent, and the secrets are shown by the run that creates them only: they are stored hashed.
        Assert.Equal(0, again.Exit);
        Assert.Equal(0, JsonDocument.Parse(again.Out).RootElement.GetProperty("platforms").GetArrayLength());
        Assert.DoesNotContain("rsec_", again.Out);

        // The server on the same store accepts what the CLI made.
        await using var server = await TestServer.StartAsync(StoreKind.Sqlite,
            connectionString: $"Data Source={Path.Combine(_data, "partnerships.db")}", signingKey: _key, secretKey: _secretsKey);
        Assert.NotEmpty(await server.TokenAsync(credential.GetProperty("client_id").GetString()!, credential.GetProperty("client_secret").GetString()!));
        Assert.NotEmpty(await server.TokenAsync(demo[0].GetProperty("client_id").GetString()!, demo[0].GetProperty("client_secret").GetString()!));

        var audit = await RunAsync("audit", "--limit", "5");
        Assert.Equal(0, audit.Exit);

        var hook = JsonDocument.Parse((await RunAsync("webhooks", "set", "--platform", platformId, "--url", "https://hooks.example.com/partnerships")).Out).RootElement;
        Assert.StartsWith("whsec_", hook.GetProperty("secret").GetString());
        Assert.Equal(2, (await RunAsync("webhooks", "set", "--platform", platformId, "--url", "https://10.0.0.1/hooks")).Exit);
        Assert.Equal(0, (await RunAsync("outbox", "list", "--status", "dead")).Exit);
        Assert.Equal(3, (await RunAsync("outbox", "replay", "--id", "12345")).Exit);
        Assert.Equal(0, (await RunAsync("events", "--after", "0")).Exit);
    }

    [Fact]
    public async Task A_CLI_command_on_an_unmigrated_store_says_to_migrate_first()
    {
        await using (var db = await new Partnerships.Storage.Database(new Partnerships.Storage.StoreOptions(Partnerships.Storage.StoreProvider.Sqlite,
            $"Data Source={Path.Combine(_data, "partnerships.db")}")).OpenAsync())
        {
            // An empty database file: there, but never migrated.
        }
        var result = await RunAsync("platforms", "list");
        Assert.Equal(5, result.Exit);
        Assert.Contains("pending migrations", result.Err);
        Assert.Contains("partnerships migrate", result.Err);
    }
}
