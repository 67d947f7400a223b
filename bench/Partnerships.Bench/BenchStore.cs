using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Api.Hosting;
using Partnerships.Application.Operators;
using Partnerships.Application.RateLimits;
using Partnerships.Storage;
using Partnerships.Testing;

namespace Partnerships.Bench;

/// <summary>
/// One store under test: a fresh SQLite file (synchronous=FULL, the production default) or a database on a throwaway
/// PostgreSQL cluster, migrated and seeded with the demo platforms the way the service does it, with both platforms'
/// rate limits raised through the operator setting (the limiter stays on).
/// </summary>
public sealed class BenchStore : IAsyncDisposable
{
    private readonly PostgresCluster? _cluster;
    private readonly DirectoryInfo _folder;

    private BenchStore(StoreKind kind, string connectionString, PostgresCluster? cluster, DirectoryInfo folder)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _cluster = cluster;
        _folder = folder;
        Database = new Database(new StoreOptions(StoreOptions.ParseProvider(Provider), connectionString) { Synchronous = SqliteSynchronous.Full });
    }

    public StoreKind Kind { get; }
    public string Name => Kind == StoreKind.Sqlite ? "sqlite" : "postgres";
    public string Provider => Name;
    public string ConnectionString { get; }
    public Database Database { get; }
    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string SecretKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string DataDirectory => _folder.FullName;

    /// <summary>The first demo platform (a few mapping rows), whose merchants the hot and spread workloads address.</summary>
    public DemoPlatform Shopfront { get; private set; } = null!;

    /// <summary>The MCC demo platform, filled up to 1,000 mapping rows for the wide workload.</summary>
    public DemoPlatform Wide { get; private set; } = null!;

    public static async Task<BenchStore> CreateAsync(StoreKind kind)
    {
        var folder = Directory.CreateTempSubdirectory("partnerships-bench-");
        BenchStore store;
        if (kind == StoreKind.Sqlite)
        {
            store = new BenchStore(kind, $"Data Source={Path.Combine(folder.FullName, "bench.db")}", null, folder);
        }
        else
        {
            var cluster = await PostgresCluster.StartAsync(synchronousCommit: true, durable: true);
            store = new BenchStore(kind, await cluster.CreateDatabaseAsync(), cluster, folder);
        }
        await store.PrepareAsync();
        return store;
    }

    /// <summary>The service's settings for this store: production defaults, except that the bench owns the keys and the store is ready.</summary>
    public IEnumerable<string> ServiceSettings(ServiceTelemetry? telemetry = null) =>
    [
        $"--Store:Provider={Provider}", $"--Store:ConnectionString={ConnectionString}", "--Store:SqliteSynchronous=FULL",
        "--Store:AutoMigrate=false", "--Demo:Seed=false", $"--Auth:SigningKey={SigningKey}", $"--Secrets:EncryptionKey={SecretKey}",
        $"--Store:DataDirectory={DataDirectory}", "--Logging:LogLevel:Default=Warning",
        // Production telemetry: traces (every one sampled) and metrics recorded, with nowhere to send them (ChildProcess
        // also drops an inherited OTEL_EXPORTER_OTLP_ENDPOINT), so the figures include their cost but not a collector's.
        $"--Telemetry:Tracing={telemetry?.Tracing ?? true}", $"--Telemetry:Metrics={telemetry?.Metrics ?? true}", "--Telemetry:TraceSampleRatio=1",
    ];

    public IEnumerable<string> BaselineSettings() =>
        [$"--Store:Provider={Provider}", $"--Store:ConnectionString={ConnectionString}", "--Store:SqliteSynchronous=FULL"];

    private async Task PrepareAsync()
    {
        var app = PartnershipsApp.Create([.. ServiceSettings().Where(s => !s.StartsWith("--Store:AutoMigrate", StringComparison.Ordinal) && !s.StartsWith("--Demo:Seed", StringComparison.Ordinal)),
            "--Store:AutoMigrate=true", "--Demo:Seed=true", "--Logging:LogLevel:Default=Error"]);
        try
        {
            var demo = (await PartnershipsApp.PrepareAsync(app))!.Value.Platforms;
            Shopfront = demo[0];
            Wide = demo[1];
            var limits = app.Services.GetRequiredService<RateLimitSettings>();
            foreach (var platform in demo)
            {
                foreach (var policy in RateLimitPolicies.All)
                {
                    await limits.SetAsync(OperatorActor.System("bench"), platform.PlatformParentAccountId, policy.Name, RateLimitSettings.MaxPerMinute);
                }
            }
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Lets go of the bench's own handles on the SQLite file before the servers use it.</summary>
    public void Release()
    {
        if (Kind == StoreKind.Sqlite) SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        if (_cluster is not null) await _cluster.DisposeAsync();
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
