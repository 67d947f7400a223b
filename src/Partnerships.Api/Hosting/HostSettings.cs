using Partnerships.Application;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>Every setting the host reads, resolved once at start-up. Keys are documented in docs/operations.md.</summary>
public sealed record HostSettings
{
    public required StoreOptions Store { get; init; }
    public required string DataDirectory { get; init; }
    public required bool EmbeddedDefault { get; init; }
    public required bool AutoMigrate { get; init; }
    public required bool SeedDemo { get; init; }
    public required byte[] SigningKey { get; init; }
    public string Issuer { get; init; } = "partnerships";
    public string Audience { get; init; } = "partnerships-api";
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);
    public bool RequirePlatformHeaderOnWrites { get; init; }
    public TimeSpan IdempotencyTtl { get; init; } = TimeSpan.FromHours(24);
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;
    public long MaxBulkBodyBytes { get; init; } = 16 * 1024 * 1024;
    public int MaxBulkRows { get; init; } = 100_000;

    public static HostSettings From(IConfiguration config)
    {
        var dataDirectory = Path.GetFullPath(config["Store:DataDirectory"] ?? "data");
        var provider = StoreOptions.ParseProvider(config["Store:Provider"]);
        var connection = config["Store:ConnectionString"];
        var embedded = provider == StoreProvider.Sqlite && string.IsNullOrWhiteSpace(connection);
        if (string.IsNullOrWhiteSpace(connection))
        {
            if (provider == StoreProvider.Postgres)
            {
                throw new InvalidOperationException("Store:ConnectionString is required when Store:Provider is postgres.");
            }
            connection = $"Data Source={Path.Combine(dataDirectory, "partnerships.db")}";
        }
        return new HostSettings
        {
            Store = new StoreOptions(provider, connection),
            DataDirectory = dataDirectory,
            EmbeddedDefault = embedded,
            AutoMigrate = config.GetValue("Store:AutoMigrate", provider == StoreProvider.Sqlite),
            SeedDemo = config.GetValue("Demo:Seed", embedded),
            SigningKey = SigningKeys.Resolve(config["Auth:SigningKey"], dataDirectory, provider),
            TokenLifetime = TimeSpan.FromSeconds(config.GetValue("Auth:TokenLifetimeSeconds", 300)),
            RequirePlatformHeaderOnWrites = config.GetValue("Tenancy:RequirePlatformHeaderOnWrites", false),
            IdempotencyTtl = TimeSpan.FromSeconds(config.GetValue("Idempotency:TtlSeconds", 24 * 3600)),
            MaxRequestBodyBytes = config.GetValue("Http:MaxRequestBodyBytes", 1024L * 1024),
            MaxBulkBodyBytes = config.GetValue("Http:MaxBulkBodyBytes", 16L * 1024 * 1024),
            MaxBulkRows = config.GetValue("Http:MaxBulkRows", 100_000),
        };
    }
}
