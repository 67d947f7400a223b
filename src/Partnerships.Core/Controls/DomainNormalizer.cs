using System.Globalization;

namespace Partnerships.Core.Controls;

/// <summary>
/// Host names as one canonical string: trimmed, lower case, punycode for IDN, no scheme, user info, port, path, query,
/// fragment or trailing dot. What is left must be a DNS host name: at least two labels of 1 to 63 characters from
/// <c>[a-z0-9-]</c> not starting or ending with '-', at most 253 characters, and a top-level label that is not all
/// digits (so an IP address is not mistaken for a domain).
/// </summary>
public static class DomainNormalizer
{
    public const int MaxLength = 253;
    public const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static bool TryNormalize(string input, out string normalized, out string issue)
    {
        normalized = "";
        var value = (input ?? "").Trim();
        if (value.Length == 0) { issue = "must not be empty"; return false; }

        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) value = value[(scheme + 3)..];
        else if (value.StartsWith("//", StringComparison.Ordinal)) value = value[2..];
        var end = value.IndexOfAny(['/', '?', '#', '\\']);
        if (end >= 0) value = value[..end];
        var at = value.LastIndexOf('@');
        if (at >= 0) value = value[(at + 1)..];
        var colon = value.LastIndexOf(':');
        if (colon >= 0 && value[(colon + 1)..].All(char.IsAsciiDigit)) value = value[..colon];
        if (value.EndsWith('.')) value = value[..^1]; // the root label: "example.com." is "example.com"
        value = value.ToLowerInvariant();
        if (value.Length == 0) { issue = $"\"{input}\" has no host name"; return false; }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(value).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            issue = $"\"{input}\" is not a valid host name";
            return false;
        }

        if (Problem(ascii) is { } problem)
        {
            issue = $"\"{input}\" is not a valid host name: {problem}";
            return false;
        }
        normalized = ascii;
        issue = "";
        return true;
    }

    private static string? Problem(string host)
    {
        if (host.Length > MaxLength) return $"longer than {MaxLength} characters";
        var labels = host.Split('.');
        if (labels.Length < 2) return "needs at least two labels (e.g. example.com)";
        foreach (var label in labels)
        {
            if (label.Length == 0) return "has an empty label";
            if (label.Length > MaxLabelLength) return $"a label is longer than {MaxLabelLength} characters";
            if (!label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')) return "labels may hold only letters, digits and '-'";
            if (label[0] == '-' || label[^1] == '-') return "a label may not start or end with '-'";
        }
        if (labels[^1].All(char.IsAsciiDigit)) return "the top-level label may not be all digits (IP addresses are not domains)";
        return null;
    }
}
