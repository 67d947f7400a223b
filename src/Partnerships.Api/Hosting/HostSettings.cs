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
    /// <summary>Seeds the token-signing key ring when the store holds none (see SigningKeyRing).</summary>
    public required byte[] SigningKey { get; init; }
    /// <summary>Seals secrets at rest: Secrets:EncryptionKey, or the embedded default's data/secrets.key.</summary>
    public required byte[] SecretKey { get; init; }
    public IReadOnlyList<byte[]> PreviousSecretKeys { get; init; } = [];
    public TimeSpan SecretRotationGrace { get; init; } = TimeSpan.FromHours(24);
    public string Issuer { get; init; } = "partnerships";
    public string Audience { get; init; } = "partnerships-api";
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>How old a process's view of the credentials may be when it accepts a token (decision 22); at most one second.</summary>
    public TimeSpan CredentialCheckMaxAge { get; init; } = TimeSpan.FromMilliseconds(750);
    public bool RequirePlatformHeaderOnWrites { get; init; }
    public TimeSpan IdempotencyTtl { get; init; } = TimeSpan.FromHours(24);
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;
    public long MaxBulkBodyBytes { get; init; } = 16 * 1024 * 1024;
    public int MaxBulkRows { get; init; } = 100_000;
    public Partnerships.Application.RateLimits.RateLimitOptions RateLimits { get; init; } = new();
    public CompressionSettings Compression { get; init; } = new();

    public static HostSettings From(IConfiguration config)
    {
        // The store's keys are read as the operator CLI reads them, so both find the same embedded data folder.
        var store = StoreSettings.From(key => config[key]);
        var (dataDirectory, provider, embedded) = (store.DataDirectory, store.Provider, store.EmbeddedDefault);
        // The data folder is the service's own: 0700, whether it is created now or was created by an older version.
        Partnerships.Storage.Secrets.PrivateFiles.EnsureFolder(dataDirectory, tighten: true);
        return new HostSettings
        {
            Store = store.Store,
            DataDirectory = dataDirectory,
            EmbeddedDefault = embedded,
            AutoMigrate = config.GetValue("Store:AutoMigrate", provider == StoreProvider.Sqlite),
            SeedDemo = config.GetValue("Demo:Seed", embedded),
            SigningKey = SigningKeys.Resolve(config["Auth:SigningKey"], dataDirectory, provider),
            SecretKey = SecretKeys.Resolve(config[SecretKeys.Setting], dataDirectory, provider),
            PreviousSecretKeys = SecretKeys.ResolvePrevious(config[SecretKeys.PreviousSetting]),
            SecretRotationGrace = Partnerships.Application.Operators.CredentialRotation.CheckGraceSetting(
                config.GetValue("Auth:SecretRotationGraceSeconds", 24L * 3600)),
            TokenLifetime = TimeSpan.FromSeconds(config.GetValue("Auth:TokenLifetimeSeconds", 300)),
            CredentialCheckMaxAge = CredentialCheckMaxAgeFrom(config.GetValue("Auth:CredentialCheckMaxAgeMilliseconds", 750)),
            RequirePlatformHeaderOnWrites = config.GetValue("Tenancy:RequirePlatformHeaderOnWrites", false),
            IdempotencyTtl = TimeSpan.FromSeconds(config.GetValue("Idempotency:TtlSeconds", 24 * 3600)),
            MaxRequestBodyBytes = config.GetValue("Http:MaxRequestBodyBytes", 1024L * 1024),
            MaxBulkBodyBytes = config.GetValue("Http:MaxBulkBodyBytes", 16L * 1024 * 1024),
            MaxBulkRows = config.GetValue("Http:MaxBulkRows", 100_000),
            RateLimits = RateLimitsFrom(config.GetSection("RateLimits")),
            Compression = new CompressionSettings
            {
                Enabled = config.GetValue("Http:Compression:Enabled", true),
                Level = config.GetValue("Http:Compression:Level", System.IO.Compression.CompressionLevel.Fastest),
                MinimumBytes = Math.Max(0, config.GetValue("Http:Compression:MinimumBytes", 1024L)),
            },
        };
    }

    /// <summary>Auth:CredentialCheckMaxAgeMilliseconds: a revocation must reach every process within a second, so no more than that.</summary>
    private static TimeSpan CredentialCheckMaxAgeFrom(int milliseconds) => milliseconds is >= 0 and <= CredentialValidityOptions.MaxAgeLimitMilliseconds
        ? TimeSpan.FromMilliseconds(milliseconds)
        : throw new InvalidOperationException($"Auth:CredentialCheckMaxAgeMilliseconds must be from 0 to {CredentialValidityOptions.MaxAgeLimitMilliseconds}.");

    /// <summary>RateLimits:*; a default for a policy that does not exist is a start-up error, not a silently ignored key.</summary>
    public static Partnerships.Application.RateLimits.RateLimitOptions RateLimitsFrom(IConfiguration section)
    {
        var perMinute = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in section.GetSection("PerMinute").GetChildren())
        {
            if (Partnerships.Application.RateLimits.RateLimitPolicies.Named(entry.Key) is null)
            {
                throw new InvalidOperationException($"RateLimits:PerMinute:{entry.Key} names no rate limit policy; the policies are " +
                    string.Join(", ", Partnerships.Application.RateLimits.RateLimitPolicies.All.Select(p => p.Name)) + ".");
            }
            perMinute[entry.Key] = int.TryParse(entry.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1
                ? n
                : throw new InvalidOperationException($"RateLimits:PerMinute:{entry.Key} must be a positive whole number of requests a minute.");
        }
        return new Partnerships.Application.RateLimits.RateLimitOptions
        {
            Enabled = section.GetValue("Enabled", true),
            PerMinute = perMinute,
            AnonymousPerIpPerMinute = Math.Max(1, section.GetValue("AnonymousPerIpPerMinute", 300)),
            OverrideRefresh = TimeSpan.FromMilliseconds(Math.Max(100, section.GetValue("OverrideRefreshMilliseconds", 2000))),
        };
    }
}
