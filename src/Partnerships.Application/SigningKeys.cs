using Partnerships.Storage;
using Partnerships.Storage.Secrets;

namespace Partnerships.Application;

/// <summary>
/// The seed of the token-signing key ring (see <see cref="SigningKeyRing"/>): <c>Auth:SigningKey</c> (base64, 32+ bytes)
/// when configured, else the embedded default's <c>data/signing.key</c> (generated on first start). It signs only while
/// the store holds no key yet; from then on the ring in the store is the truth. With PostgreSQL and no setting, a random
/// seed is used: whichever process seeds the empty store first wins, the others read its key.
/// </summary>
public static class SigningKeys
{
    public static byte[] Resolve(string? configured, string dataDirectory, StoreProvider provider)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] key;
            try { key = Convert.FromBase64String(configured); }
            catch (FormatException) { throw new InvalidOperationException("Auth:SigningKey must be base64 (32 bytes or more, e.g. `openssl rand -base64 32`)."); }
            if (key.Length < 32) throw new InvalidOperationException($"Auth:SigningKey must hold at least 32 bytes (it holds {key.Length}; e.g. `openssl rand -base64 32`).");
            return key;
        }
        if (provider == StoreProvider.Postgres)
        {
            return System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        }
        return KeyFiles.ReadOrCreate(Path.Combine(dataDirectory, "signing.key"));
    }
}

/// <summary>
/// The key that seals secrets at rest (<see cref="SecretBox"/>): <c>Secrets:EncryptionKey</c> (base64, 32 bytes), kept
/// outside the database. Required with PostgreSQL; SQLite without the setting uses <c>secrets.key</c> in the data folder,
/// generated on first start. <c>Secrets:PreviousEncryptionKeys</c> (comma-separated) still open values sealed before a key change.
/// </summary>
public static class SecretKeys
{
    public const string Setting = "Secrets:EncryptionKey";
    public const string PreviousSetting = "Secrets:PreviousEncryptionKeys";

    public static byte[] Resolve(string? configured, string dataDirectory, StoreProvider provider)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return SecretBox.ParseKey(configured, Setting);
        if (provider == StoreProvider.Postgres)
        {
            throw new InvalidOperationException(
                $"{Setting} is required with postgres (base64, 32 bytes; e.g. `openssl rand -base64 32`): it seals webhook secrets and signing keys, and must live outside the database.");
        }
        return KeyFiles.ReadOrCreate(Path.Combine(dataDirectory, "secrets.key"));
    }

    public static IReadOnlyList<byte[]> ResolvePrevious(string? configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? []
            : configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(k => SecretBox.ParseKey(k, PreviousSetting)).ToList();

    public static SecretBox Box(string? configured, string? previous, string dataDirectory, StoreProvider provider) =>
        new(Resolve(configured, dataDirectory, provider), ResolvePrevious(previous));
}

/// <summary>A 32-byte key kept in a file (base64, 0600 in a 0700 folder), generated once; processes starting together agree on one.</summary>
public static class KeyFiles
{
    public static byte[] ReadOrCreate(string path)
    {
        PrivateFiles.EnsureFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!File.Exists(path))
        {
            PrivateFiles.TryCreateText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        }
        PrivateFiles.Restrict(path);
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
