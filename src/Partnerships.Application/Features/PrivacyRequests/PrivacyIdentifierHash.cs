using System.Security.Cryptography;
using System.Text;

namespace Partnerships.Application.Features.PrivacyRequests;

/// <summary>
/// The keyed hash kept in place of a consumer identifier: HMAC-SHA256 under a key derived (HKDF-SHA256) from the service's
/// secret key, so the stored hash cannot be reversed by hashing guesses without that key. An e-mail is hashed through its
/// SHA-256 (trimmed, lower-cased), so an address and its published hashedEmail form give the same hash.
/// </summary>
public sealed class PrivacyIdentifierHash
{
    private static readonly byte[] Info = Encoding.ASCII.GetBytes("partnerships network privacy identifier hash v1");
    private readonly byte[] _key;

    public PrivacyIdentifierHash(byte[] secretKey) => _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secretKey, 32, info: Info);

    public string Of(IdentifierKind kind, string identifier) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(kind switch
    {
        IdentifierKind.Email => "email:" + EmailSha256(identifier),
        IdentifierKind.HashedEmail => "email:" + identifier.ToLowerInvariant(),
        _ => "phone:" + identifier,
    })));

    /// <summary>The published hashedEmail form of an address: SHA-256 hex of the trimmed, lower-cased address.</summary>
    public static string EmailSha256(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}
