using System.Globalization;
using System.Text;

namespace Partnerships.Delivery;

/// <summary>
/// UTS 46 ToASCII (non-transitional, STD3 rules, DNS lengths) for host names. The service runs with
/// InvariantGlobalization, where <see cref="IdnMapping"/> only punycodes (it maps no full-width or compatibility form and
/// case-folds nothing beyond ASCII) and <see cref="string.Normalize()"/> leaves non-ASCII text as it is; so the mapping
/// comes from the UTS 46 table shipped with this assembly (Data/uts46-mapping.txt, see scripts/gen-uts46-table), and
/// IdnMapping is used only for the punycode step, which it does correctly in that mode.
/// </summary>
public static class HostNames
{
    private static readonly Lazy<(int[] Starts, char[] Status, string?[] Maps)> Table = new(Load);
    // A new instance each time: IdnMapping makes no promise about concurrent use.
    private static IdnMapping Punycode => new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>The ASCII (A-label) form of <paramref name="host"/>, lower case, without a trailing root dot; or a problem.</summary>
    public static bool TryToAscii(string host, out string ascii, out string? problem)
    {
        ascii = "";
        if (!TryMap(host, out var mapped, out problem)) return false;
        // One trailing dot names the DNS root ("localhost." is localhost); it is not part of the name.
        if (mapped.EndsWith('.')) mapped = mapped[..^1];
        if (mapped.Length == 0) return Fail("the host name is empty", out problem);
        var labels = mapped.Split('.');
        var result = new string[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (!TryLabel(labels[i], out result[i], out problem)) return false;
        }
        ascii = string.Join('.', result);
        if (ascii.Length > 253) return Fail("the host name is longer than 253 characters", out problem);
        return true;
    }

    private static bool TryLabel(string label, out string ascii, out string? problem)
    {
        ascii = label;
        problem = null;
        if (label.Length == 0) return Fail("the host name has an empty label", out problem);
        if (label.StartsWith("xn--", StringComparison.Ordinal))
        {
            // An A-label must decode to a label that is already in mapped form, or it smuggles in what the mapping removes.
            string decoded;
            try { decoded = Punycode.GetUnicode(label); }
            catch (ArgumentException) { return Fail($"the host name has an invalid punycode label '{label}'", out problem); }
            if (decoded.Length == 0 || decoded.All(char.IsAscii) || !TryMap(decoded, out var remapped, out _) || remapped != decoded)
            {
                return Fail($"the host name has a punycode label '{label}' that is not a valid IDNA label", out problem);
            }
        }
        else if (!label.All(char.IsAscii))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(label, 0) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                return Fail("a host name label must not begin with a combining mark", out problem);
            }
            try { ascii = Punycode.GetAscii(label); }
            catch (ArgumentException) { return Fail($"the host name label '{label}' cannot be written in IDNA form", out problem); }
        }
        if (ascii.Length > 63) return Fail("a host name label is longer than 63 characters", out problem);
        if (!ascii.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            return Fail($"the host name label '{ascii}' may hold only letters, digits and hyphens", out problem);
        }
        if (ascii.StartsWith('-') || ascii.EndsWith('-')) return Fail($"the host name label '{ascii}' begins or ends with a hyphen", out problem);
        if (ascii.Length >= 4 && ascii[2] == '-' && ascii[3] == '-' && !ascii.StartsWith("xn--", StringComparison.Ordinal))
        {
            return Fail($"the host name label '{ascii}' has hyphens in the third and fourth places", out problem);
        }
        return true;
    }

    /// <summary>UTS 46 mapping step: mapped characters replaced, ignored ones dropped, disallowed ones refused.</summary>
    private static bool TryMap(string text, out string mapped, out string? problem)
    {
        mapped = "";
        problem = null;
        var (starts, status, maps) = Table.Value;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            int cp;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) cp = char.ConvertToUtf32(text[i], text[++i]);
            else if (char.IsSurrogate(text[i])) return Fail("the host name has an unpaired surrogate", out problem);
            else cp = text[i];
            var at = Array.BinarySearch(starts, cp);
            if (at < 0) at = ~at - 1;
            switch (status[at])
            {
                case 'V':
                    sb.Append(char.ConvertFromUtf32(cp));
                    break;
                case 'M':
                    sb.Append(maps[at]);
                    break;
                case 'I':
                    break;
                case 'D' when maps[at]!.Length == 0:
                    // ZERO WIDTH (NON-)JOINER: valid only under the CONTEXTJ rules, which no webhook host needs.
                    return Fail($"the host name has a joiner character (U+{cp:X4})", out problem);
                case 'D':
                    sb.Append(char.ConvertFromUtf32(cp)); // non-transitional: ß and ς stay as they are
                    break;
                default:
                    return Fail($"the host name has a character that is not allowed (U+{cp:X4})", out problem);
            }
        }
        mapped = sb.ToString();
        return true;
    }

    private static bool Fail(string message, out string? problem)
    {
        problem = message;
        return false;
    }

    private static (int[], char[], string?[]) Load()
    {
        using var stream = typeof(HostNames).Assembly.GetManifestResourceStream("Partnerships.Delivery.uts46-mapping.txt")
            ?? throw new InvalidOperationException("the UTS 46 mapping table is missing from the assembly");
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var starts = new List<int>();
        var status = new List<char>();
        var maps = new List<string?>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ');
            starts.Add(int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            status.Add(parts[1][0]);
            maps.Add(parts.Length < 3 ? null
                : parts[2] == "-" ? ""
                : string.Concat(parts.Skip(2).Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))));
        }
        return (starts.ToArray(), status.ToArray(), maps.ToArray());
    }
}
