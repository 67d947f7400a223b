using System.Security.Cryptography;
using System.Text;

namespace Partnerships.Application;

/// <summary>
/// Client ids, secrets and admin keys. Secrets carry 256 bits of randomness, so a plain SHA-256 is the right
/// stored form (a slow KDF protects low-entropy passwords, not random keys); comparison is constant-time.
/// </summary>
public static class Secrets
{
    public const string ClientIdPrefix = "rspub_";
    public const string ClientSecretPrefix = "rsec_";
    public const string AdminKeyPrefix = "padm_";

    public static string NewClientId() => ClientIdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    public static string NewClientSecret() => ClientSecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
    public static string NewAdminKey() => AdminKeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Verify(string presented, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>A stable UUID-shaped id derived from a name (RFC 9562 version 8 layout), used where a retry or a dry-run must produce the same id.</summary>
    public static string DeterministicId(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
