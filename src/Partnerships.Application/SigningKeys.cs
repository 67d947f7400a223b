using Partnerships.Storage;

namespace Partnerships.Application;

/// <summary>
/// The JWT signing key. Processes sharing a store must share it (Auth:SigningKey, base64, 32+ bytes); the embedded
/// default generates one on first start and keeps it in its data folder.
/// </summary>
public static class SigningKeys
{
    public static byte[] Resolve(string? configured, string dataDirectory, StoreProvider provider)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] key;
            try { key = Convert.FromBase64String(configured); }
            catch (FormatException) { throw new InvalidOperationException("Auth:SigningKey must be base64."); }
            if (key.Length < 32) throw new InvalidOperationException("Auth:SigningKey must hold at least 32 bytes.");
            return key;
        }
        if (provider == StoreProvider.Postgres)
        {
            throw new InvalidOperationException(
                "Auth:SigningKey is required with postgres: every process sharing the store must sign and verify tokens with the same key.");
        }
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "signing.key");
        if (!File.Exists(path))
        {
            var fresh = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temp, Convert.ToBase64String(fresh));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp); // another process wrote the key first: use that one
            }
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
