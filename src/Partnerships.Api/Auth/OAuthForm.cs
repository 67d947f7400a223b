using System.Text;
using Partnerships.Core.Json;

namespace Partnerships.Api.Auth;

/// <summary>
/// The token endpoint's own application/x-www-form-urlencoded reader. Stricter than the framework's form reader, which
/// silently keeps bad percent-escapes, turns invalid UTF-8 into U+FFFD and throws on its limits: here every one of
/// those is an RFC 6749 §5.2 invalid_request naming the parameter, and a parameter sent twice is one too (§3.1:
/// "parameters MUST NOT be included more than once").
/// </summary>
public static class OAuthForm
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxParameters = 32;
    public const int MaxNameLength = 64;
    public const int MaxValueLength = 1024;

    /// <summary>The parameters by name, or the invalid_request description.</summary>
    public static (Dictionary<string, string>? Values, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var range in body.Split((byte)'&'))
        {
            var pair = body[range];
            if (pair.IsEmpty) continue;
            if (++count > MaxParameters) return (null, $"at most {MaxParameters} parameters are accepted");
            var eq = pair.IndexOf((byte)'=');
            var rawName = eq < 0 ? pair : pair[..eq];
            var rawValue = eq < 0 ? [] : pair[(eq + 1)..];
            if (Decode(rawName) is not { } name) return (null, "a parameter name is not valid percent-encoded UTF-8");
            if (name.Length == 0) return (null, "a parameter has no name");
            if (name.Length > MaxNameLength) return (null, $"a parameter name is longer than {MaxNameLength} characters");
            var shown = Printable(name);
            if (Decode(rawValue) is not { } value) return (null, $"{shown} is not valid percent-encoded UTF-8");
            if (value.Length > MaxValueLength) return (null, $"{shown} is longer than {MaxValueLength} characters");
            if (HasControl(name) || HasControl(value)) return (null, $"{shown} holds a control character");
            if (!values.TryAdd(name, value)) return (null, $"{shown} is sent more than once");
        }
        return (values, null);
    }

    /// <summary>'+' is a space; '%' must start two hex digits; the decoded bytes must be UTF-8. Null when any of it fails.</summary>
    private static string? Decode(ReadOnlySpan<byte> raw)
    {
        var bytes = new byte[raw.Length];
        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'+') bytes[n++] = (byte)' ';
            else if (b == (byte)'%')
            {
                if (i + 2 >= raw.Length || Hex(raw[i + 1]) is not { } hi || Hex(raw[i + 2]) is not { } lo) return null;
                bytes[n++] = (byte)(hi << 4 | lo);
                i += 2;
            }
            else bytes[n++] = b;
        }
        var decoded = bytes.AsSpan(0, n);
        return Utf8Text.FirstInvalidByte(decoded) is null ? Encoding.UTF8.GetString(decoded) : null;
    }

    private static int? Hex(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => null,
    };

    private static bool HasControl(string s) => s.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || s.Contains('\u007F');

    private static string Printable(string name) => HasControl(name) ? "a parameter" : name;
}
