using System.Globalization;

namespace Partnerships.Core.Controls;

/// <summary>Host names as one canonical string: lower case, punycode for IDN, no scheme, port, path or trailing dot.</summary>
public static class DomainNormalizer
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static bool TryNormalize(string input, out string normalized, out string issue)
    {
        normalized = "";
        var value = input.Trim();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) value = value[(scheme + 3)..];
        var end = value.IndexOfAny(['/', '?', '#']);
        if (end >= 0) value = value[..end];
        var at = value.LastIndexOf('@');
        if (at >= 0) value = value[(at + 1)..];
        var colon = value.LastIndexOf(':');
        if (colon >= 0 && value[(colon + 1)..].All(char.IsAsciiDigit)) value = value[..colon];
        value = value.TrimEnd('.').ToLowerInvariant();
        if (value.Length == 0) { issue = "must be a host name"; return false; }
        string ascii;
        try { ascii = Idn.GetAscii(value); }
        catch (ArgumentException) { issue = $"{input} is not a valid host name"; return false; }
        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-'
                || !l.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            issue = $"{input} is not a valid host name";
            return false;
        }
        normalized = ascii;
        issue = "";
        return true;
    }
}
