namespace Partnerships.Storage.DataMigrations;

/// <summary>What a data migration may need beyond the store: the key that seals secrets at rest, when one is configured.</summary>
public sealed record MigrationContext
{
    /// <summary>The 32-byte key secrets at rest are sealed with (Secrets:EncryptionKey, or the embedded default's key file).</summary>
    public byte[]? SecretKey { get; init; }
}

/// <summary>
/// A migration that rewrites data with code rather than SQL (cleaning values, sealing secrets). It runs in the same
/// transaction and version sequence as the SQL migrations, so a store is migrated to a version or not at all.
/// </summary>
public interface IDataMigration
{
    int Version { get; }
    string Name { get; }
    Task ApplyAsync(DbSession session, MigrationContext context, CancellationToken ct);
}

/// <summary>Every data migration the service ships, in no particular order (the migrator orders them by version).</summary>
public static class DataMigrationCatalog
{
    public static IReadOnlyList<IDataMigration> All { get; } =
    [
        new CleanTextFields(),
        new SealWebhookSecrets(),
        new RateLimitTables(),
    ];
}
