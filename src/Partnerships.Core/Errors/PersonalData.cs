using System.Text.RegularExpressions;

namespace Partnerships.Core.Errors;

/// <summary>
/// Finds personal values (e-mail addresses, phone numbers) in text the service writes back: an error names the field
/// that holds one, never the value, because rejections are stored (operations, audit log) and logged.
/// </summary>
public static partial class PersonalData
{
    public const string EmailPlaceholder = "(an e-mail address)";
    public const string PhonePlaceholder = "(a phone number)";

    /// <summary><paramref name="text"/> with every e-mail address and international phone number replaced by what it is.</summary>
    public static string Redact(string text)
    {
        if (text.Contains('@')) text = Email().Replace(text, EmailPlaceholder);
        if (text.Contains('+')) text = Phone().Replace(text, PhonePlaceholder);
        return text;
    }

    // A whole local part of RFC 5322 atext and dots, and a domain of at least two labels, so "'@'" or "a@b" in a sentence is
    // left alone. After a colon too ("mailto:m@x.com" holds an address), except a URL's "//user:password@host", which is
    // not one.
    [GeneratedRegex(@"(?<![\p{L}\p{N}!#$%&'*+=?^_`{|}~.-])(?<!//[^/@\s]*:)[\p{L}\p{N}!#$%&'*+=?^_`{|}~.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+")]
    private static partial Regex Email();

    // E.164 (a plus, then 7 to 15 digits), also as people write it: "+1 (415) 555-0100".
    [GeneratedRegex(@"\+\d(?:[ ().-]{0,2}\d){6,14}")]
    private static partial Regex Phone();
}
