using System.Text.Json;
using System.Text.RegularExpressions;
using Partnerships.Core.Json;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.PrivacyRequests;

/// <summary>A request as the service keeps it: the type, which identifier, and that identifier normalised.</summary>
public sealed record PrivacyRequestInput(PrivacyRequestType RequestType, IdentifierKind Kind, string Identifier);

/// <summary>
/// Reads the body strictly (unknown fields are a 400). Exactly one identifier; null counts as absent. No issue ever quotes
/// what was sent: an identifier is personal data, so the issues name the field and the rule only.
/// </summary>
public static partial class NetworkPrivacyRequestParser
{
    public const int MaxEmail = 254;
    public const string E164Pattern = "^\\+[1-9][0-9]{7,14}$";
    public const string Sha256HexPattern = "^[0-9a-fA-F]{64}$";

    private static readonly (string Field, IdentifierKind Kind)[] Identifiers =
        [("email", IdentifierKind.Email), ("phoneNumber", IdentifierKind.PhoneNumber), ("hashedEmail", IdentifierKind.HashedEmail)];

    private const string OneOf = "exactly one of email, phoneNumber and hashedEmail is required";

    public static PrivacyRequestInput Parse(JsonElement body)
    {
        var f = JsonFields.Root<NetworkPrivacyRequestBody>(body);
        var type = f.RequiredEnum("requestType", WireEnum<PrivacyRequestType>.Values);
        var sent = f.IsObject
            ? Identifiers.Where(i => f.TryGet(i.Field, out var v) && v.ValueKind != JsonValueKind.Null).ToList()
            : [];
        if (f.IsObject && sent.Count == 0)
        {
            foreach (var (field, _) in Identifiers) f.Add(field, OneOf);
        }
        if (sent.Count > 1)
        {
            foreach (var (field, _) in sent) f.Add(field, OneOf + "; send only one");
        }
        string? identifier = null;
        if (sent.Count == 1)
        {
            var (field, kind) = sent[0];
            identifier = Identifier(f, field, kind);
        }
        f.ThrowIfAny();
        return new PrivacyRequestInput(type!.Value, sent[0].Kind, identifier!);
    }

    private static string? Identifier(JsonFields f, string field, IdentifierKind kind)
    {
        f.TryGet(field, out var v);
        if (v.ValueKind != JsonValueKind.String || !TextRules.TryGetString(v, out var raw))
        {
            f.Add(field, "must be a string");
            return null;
        }
        var value = raw.Trim();
        switch (kind)
        {
            case IdentifierKind.Email when !IsEmail(value):
                f.Add(field, $"must be an e-mail address (local@domain, at most {MaxEmail} characters)");
                return null;
            case IdentifierKind.PhoneNumber when !E164().IsMatch(value):
                f.Add(field, "must be an E.164 phone number: + then 8 to 15 digits, the first not 0");
                return null;
            case IdentifierKind.HashedEmail when !Sha256Hex().IsMatch(value):
                f.Add(field, "must be the SHA-256 of the trimmed, lower-cased e-mail address as 64 hex digits");
                return null;
            case IdentifierKind.HashedEmail:
                return value.ToLowerInvariant();
            default:
                return value;
        }
    }

    /// <summary>A bare address: one @, a local part of 1 to 64 characters, a dotted domain, no spaces or control characters.</summary>
    public static bool IsEmail(string value)
    {
        if (value.Length is < 3 or > MaxEmail || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"')) return false;
        var at = value.IndexOf('@');
        if (at < 1 || at != value.LastIndexOf('@') || at > 64) return false;
        var domain = value[(at + 1)..];
        return domain.Contains('.') && domain.Split('.').All(label => label.Length is > 0 and <= 63 && !label.StartsWith('-') && !label.EndsWith('-'));
    }

    [GeneratedRegex(E164Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    [GeneratedRegex(Sha256HexPattern, RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Hex();
}
