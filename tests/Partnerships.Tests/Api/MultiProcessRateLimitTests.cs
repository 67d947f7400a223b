using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Two server processes on one store (one SQLite file, or one PostgreSQL database) spend one budget per platform, and an
/// operator's change made from outside reaches a running process within seconds.
/// </summary>
public abstract class MultiProcessRateLimitTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _seeded = null!;

    public async Task InitializeAsync() =>
        _seeded = await TestServer.StartAsync(kind, new Dictionary<string, string?>(TestServer.PublishedRateLimits) { ["Outbox:Dispatcher"] = "false" });

    public async Task DisposeAsync() => await _seeded.DisposeAsync();

    private Task<ServerProcess> StartProcessAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Store:Provider"] = kind == StoreKind.Sqlite ? "sqlite" : "postgres",
            ["Store:ConnectionString"] = _seeded.ConnectionString,
            ["Store:AutoMigrate"] = "false",
            ["Demo:Seed"] = "false",
            ["Auth:SigningKey"] = _seeded.SigningKey,
            ["Secrets:EncryptionKey"] = _seeded.SecretKey,
            ["Outbox:Dispatcher"] = "false",
            ["RateLimits:OverrideRefreshMilliseconds"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (kind == StoreKind.Sqlite) settings["Store:DataDirectory"] = Path.GetDirectoryName(SqlitePath)!;
        foreach (var (k, v) in TestServer.PublishedRateLimits) settings[k] = v!;
        return ServerProcess.StartAsync(settings);
    }

    private string SqlitePath => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_seeded.ConnectionString).DataSource;

    [Fact]
    public async Task Twenty_registrations_of_one_platform_ten_to_each_process_give_exactly_ten_successes()
    {
        await using var a = await StartProcessAsync();
        await using var b = await StartProcessAsync();
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        using var clientA = a.Client(token);
        using var clientB = b.Client(token);
        var platformId = _seeded.DemoOne.PlatformParentAccountId;

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? clientA : clientB).PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(platformId))));

        Assert.Equal(10, replies.Count(r => r.Status == 201));
        Assert.Equal(10, replies.Count(r => r.Status == 429));
        Assert.Equal(10, await StoreSnapshot.CountAsync(_seeded.Database, "accounts", "platform_id = @platformId", new { platformId }));
    }

    [Fact]
    public async Task An_operators_change_from_the_CLI_reaches_a_running_process_within_seconds()
    {
        await using var process = await StartProcessAsync();
        var token = await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret);
        using var client = process.Client(token);
        Assert.Equal("\"reads\";q=6000;w=60", (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Header("RateLimit-Policy"));

        var (exit, output, error) = await CliProcess.RunAsync(
            ["rate-limits", "set", "--platform", _seeded.DemoOne.PlatformParentAccountId, "--policy", "reads", "--per-minute", "2",
                "--provider", kind == StoreKind.Sqlite ? "sqlite" : "postgres", "--connection", _seeded.ConnectionString],
            new Dictionary<string, string>());
        Assert.True(exit == 0, error);
        Assert.Contains("\"per_minute\":2", output);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        Reply reply;
        do
        {
            reply = await client.GetJsonAsync("/v1/partnership/vertical-mappings");
            if (reply.Header("RateLimit-Policy") == "\"reads\";q=2;w=60") break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal("\"reads\";q=2;w=60", reply.Header("RateLimit-Policy"));
        var burst = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetJsonAsync("/v1/partnership/vertical-mappings")));
        Assert.Contains(burst, r => r.Status == 429);
    }
}

public sealed class SqliteMultiProcessRateLimitTests() : MultiProcessRateLimitTests(StoreKind.Sqlite);
public sealed class PostgresMultiProcessRateLimitTests() : MultiProcessRateLimitTests(StoreKind.Postgres);
