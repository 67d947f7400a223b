using System.Security.Cryptography;
using System.Text;

namespace Partnerships.Storage.Secrets;

/// <summary>
/// Seals secrets the service must read back (webhook signing secrets, token-signing keys) with AES-256-GCM under a key
/// kept outside the database. Sealed form: <c>enc:v1:{kid}:{base64url(nonce ‖ ciphertext ‖ tag)}</c>. The key id is
/// derived from the key, so a value names the key that opens it and keys can change: the current key seals, any key
/// given as previous still opens. The context (e.g. the owning row) is bound as associated data, so a sealed value
/// copied to another row does not open.
/// </summary>
public sealed class SecretBox
{
    public const string Prefix = "enc:v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _current;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public SecretBox(byte[] currentKey, IEnumerable<byte[]>? previousKeys = null)
    {
        CheckKey(currentKey);
        _current = currentKey;
        CurrentKeyId = KeyId(currentKey);
        _keys[CurrentKeyId] = currentKey;
        foreach (var key in previousKeys ?? [])
        {
            CheckKey(key);
            _keys.TryAdd(KeyId(key), key);
        }
    }

    public string CurrentKeyId { get; }

    /// <summary>A short public name for a key: the first 8 bytes of SHA-256 over a label and the key (reveals nothing usable).</summary>
    public static string KeyId(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes("partnerships-secret-key-id:"), .. key])[..8]);

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public string Seal(string plaintext, string context)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceBytes + clear.Length + TagBytes];
        nonce.CopyTo(output, 0);
        using (var aes = new AesGcm(_current, TagBytes))
        {
            aes.Encrypt(nonce, clear, output.AsSpan(NonceBytes, clear.Length), output.AsSpan(NonceBytes + clear.Length), Aad(CurrentKeyId, context));
        }
        return $"{Prefix}{CurrentKeyId}:{Base64Url(output)}";
    }

    public string Open(string sealedValue, string context)
    {
        if (!IsSealed(sealedValue)) throw new InvalidOperationException($"A stored secret ({context}) is not sealed; run the migrations with Secrets:EncryptionKey set.");
        var rest = sealedValue[Prefix.Length..];
        var colon = rest.IndexOf(':');
        var kid = colon > 0 ? rest[..colon] : "";
        if (!_keys.TryGetValue(kid, out var key))
        {
            throw new InvalidOperationException($"A stored secret ({context}) is sealed with key {kid}, which is not configured (Secrets:EncryptionKey or Secrets:PreviousEncryptionKeys).");
        }
        var data = FromBase64Url(rest[(colon + 1)..]);
        if (data.Length < NonceBytes + TagBytes) throw new InvalidOperationException($"A stored secret ({context}) is damaged.");
        var clear = new byte[data.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(data.AsSpan(0, NonceBytes), data.AsSpan(NonceBytes, clear.Length), data.AsSpan(NonceBytes + clear.Length), clear, Aad(kid, context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidOperationException($"A stored secret ({context}) does not open with key {kid}: damaged, or moved from another row.");
        }
        return Encoding.UTF8.GetString(clear);
    }

    /// <summary>Parses a configured key (base64, exactly 32 bytes); the setting's name goes into the error.</summary>
    public static byte[] ParseKey(string value, string setting)
    {
        byte[] key;
        try { key = Convert.FromBase64String(value.Trim()); }
        catch (FormatException) { throw new InvalidOperationException($"{setting} must be base64 (32 bytes)."); }
        if (key.Length != 32) throw new InvalidOperationException($"{setting} must hold exactly 32 bytes (it holds {key.Length}).");
        return key;
    }

    private static void CheckKey(byte[] key)
    {
        if (key.Length != 32) throw new InvalidOperationException("A secrets key must hold exactly 32 bytes.");
    }

    private static byte[] Aad(string kid, string context) => Encoding.UTF8.GetBytes($"{Prefix}{kid}:{context}");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        try { return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=')); }
        catch (FormatException) { throw new InvalidOperationException("A stored secret is damaged (not base64url)."); }
    }
}
