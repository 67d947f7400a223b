using Partnerships.Application;
using Partnerships.Storage;
using Partnerships.Storage.DataMigrations;
using Partnerships.Storage.Secrets;

/// <summary>
/// The CLI's view of the secrets-at-rest key and the signing-key ring: the server's settings, read from the same
/// configuration keys (Secrets:EncryptionKey, Secrets:PreviousEncryptionKeys, Auth:SigningKey, Auth:TokenLifetimeSeconds,
/// Auth:SecretRotationGraceSeconds; Secrets__EncryptionKey … in the environment); the embedded default's key files otherwise.
/// </summary>
internal static class CliSecrets
{
    public static SecretBox Box(CliStore store) => SecretKeys.Box(
        store[SecretKeys.Setting], store[SecretKeys.PreviousSetting], store.DataDirectory, store.Provider);

    /// <summary>The key for data migrations: required only when one has something to seal, so a plain migrate needs no key on postgres.</summary>
    public static MigrationContext MigrationContext(CliStore store)
    {
        var configured = store[SecretKeys.Setting];
        if (store.Provider == StoreProvider.Postgres && string.IsNullOrWhiteSpace(configured)) return new MigrationContext();
        return new MigrationContext { SecretKey = SecretKeys.Resolve(configured, store.DataDirectory, store.Provider) };
    }

    public static SigningKeyRing Ring(Database db, CliStore store) => new(db, Box(store), TimeProvider.System,
        new SigningKeyRingOptions
        {
            TokenLifetime = TimeSpan.FromSeconds(long.TryParse(store["Auth:TokenLifetimeSeconds"], out var s) ? s : 300),
            Seed = SigningKeys.Resolve(store["Auth:SigningKey"], store.DataDirectory, store.Provider),
        });

    public static TimeSpan? Grace(CliStore store, long? seconds) => seconds is { } s
        ? TimeSpan.FromSeconds(Math.Clamp(s, -1, (long)Partnerships.Application.Operators.CredentialRotation.MaxGrace.TotalSeconds + 1))
        : long.TryParse(store["Auth:SecretRotationGraceSeconds"], out var configured) ? TimeSpan.FromSeconds(configured) : null;
}
