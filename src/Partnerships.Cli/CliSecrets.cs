using Partnerships.Application;
using Partnerships.Storage;
using Partnerships.Storage.DataMigrations;
using Partnerships.Storage.Secrets;

/// <summary>
/// The CLI's view of the secrets-at-rest key and the signing-key ring: the server's settings, read from the same
/// environment variables (Secrets__EncryptionKey, Secrets__PreviousEncryptionKeys, Auth__SigningKey,
/// Auth__TokenLifetimeSeconds, Auth__SecretRotationGraceSeconds); the embedded default's key files otherwise.
/// </summary>
internal static class CliSecrets
{
    public static SecretBox Box(string dataDirectory, StoreProvider provider) => SecretKeys.Box(
        Environment.GetEnvironmentVariable("Secrets__EncryptionKey"), Environment.GetEnvironmentVariable("Secrets__PreviousEncryptionKeys"),
        dataDirectory, provider);

    /// <summary>The key for data migrations: required only when one has something to seal, so a plain migrate needs no key on postgres.</summary>
    public static MigrationContext MigrationContext(string dataDirectory, StoreProvider provider)
    {
        var configured = Environment.GetEnvironmentVariable("Secrets__EncryptionKey");
        if (provider == StoreProvider.Postgres && string.IsNullOrWhiteSpace(configured)) return new MigrationContext();
        return new MigrationContext { SecretKey = SecretKeys.Resolve(configured, dataDirectory, provider) };
    }

    public static SigningKeyRing Ring(Database db, string dataDirectory, StoreProvider provider) => new(db, Box(dataDirectory, provider), TimeProvider.System,
        new SigningKeyRingOptions
        {
            TokenLifetime = TimeSpan.FromSeconds(long.TryParse(Environment.GetEnvironmentVariable("Auth__TokenLifetimeSeconds"), out var s) ? s : 300),
            Seed = SigningKeys.Resolve(Environment.GetEnvironmentVariable("Auth__SigningKey"), dataDirectory, provider),
        });

    public static TimeSpan? Grace(long? seconds) => seconds is { } s
        ? TimeSpan.FromSeconds(Math.Clamp(s, -1, (long)Partnerships.Application.Operators.CredentialRotation.MaxGrace.TotalSeconds + 1))
        : long.TryParse(Environment.GetEnvironmentVariable("Auth__SecretRotationGraceSeconds"), out var configured) ? TimeSpan.FromSeconds(configured) : null;
}
