using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Partnerships.Core.Validation;

/// <summary>
/// The one rule for free text (brands, names, labels): a single line of printable Unicode with a length bound. Refused
/// anywhere in the value: C0 controls (NUL, TAB, CR, LF…), DEL, C1 controls (NEL…), the line and paragraph separators
/// U+2028/U+2029, the bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and unpaired
/// surrogates. Everything else is allowed, including the bidi marks LRM/RLM/ALM and ZWJ/ZWNJ that real names in
/// right-to-left and Indic scripts and emoji need. Lengths count UTF-16 code units, as the bounds always have.
/// </summary>
public static class TextRules
{
    /// <summary>The bound of every name and label that has no other (brand, MCL name, mapping and taxonomy names, labels, platform names).</summary>
    public const int DefaultMaxLength = 200;

    /// <summary>Why <paramref name="value"/> breaks the rule (ignoring length), or null when it does not.</summary>
    public static string? Problem(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return $"must not contain an unpaired surrogate (at character {i + 1})";
            if (!IsForbidden(c)) continue;
            var what = c switch
            {
                '\u2028' or '\u2029' => "line or paragraph separators",
                >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' => "bidirectional override, embedding or isolate characters",
                _ => "control characters",
            };
            return $"must not contain {what} (found {CodePoint(c)} at character {i + 1})";
        }
        return null;
    }

    /// <summary>
    /// Checks <paramref name="value"/> against the rule, then trims it and checks its length. Returns the trimmed text, or
    /// null with <paramref name="issue"/> saying what is wrong (phrased to follow the field's name).
    /// </summary>
    public static string? Check(string value, int min, int max, out string? issue)
    {
        issue = Problem(value);
        if (issue is not null) return null;
        var text = value.Trim();
        if (text.Length >= min && text.Length <= max) return text;
        issue = min <= 0 ? $"must be at most {max} characters" : min == 1 && text.Length == 0 ? "must not be empty" : $"must be {min} to {max} characters";
        return null;
    }

    /// <summary>Whether the rule refuses this UTF-16 unit on its own (surrogates are judged in pairs by <see cref="Problem"/>).</summary>
    public static bool IsForbidden(char c) =>
        c < '\u0020' || c is >= '\u007F' and <= '\u009F' || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    /// <summary>
    /// Makes any text obey the rule without refusing it: line breaks and tabs (and runs of them, such as CR LF) become one
    /// space, the other refused characters and unpaired surrogates are dropped, the ends are trimmed, and the result is cut
    /// to <paramref name="max"/> units without splitting a surrogate pair. For values stored before the rule and for
    /// values filled into e-mails, where a refusal is no longer possible.
    /// </summary>
    public static string Clean(string value, int max = int.MaxValue)
    {
        if (Problem(value) is null && value.Length <= max && value.Trim().Length == value.Length) return value;
        var text = new StringBuilder(value.Length);
        var lastWasBreak = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[i + 1]);
                i++;
                lastWasBreak = false;
                continue;
            }
            if (char.IsSurrogate(c)) continue;
            if (c is >= '\t' and <= '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                if (!lastWasBreak) text.Append(' ');
                lastWasBreak = true;
                continue;
            }
            if (IsForbidden(c)) continue;
            text.Append(c);
            lastWasBreak = false;
        }
        var result = text.ToString().Trim();
        if (result.Length > max)
        {
            var cut = char.IsLowSurrogate(result[max]) ? max - 1 : max;
            result = result[..cut].TrimEnd();
        }
        return result;
    }

    /// <summary>
    /// A JSON string's value, or false when it is not a string or cannot be read as UTF-16 (an escaped lone surrogate such
    /// as <c>"\ud800"</c>, or invalid UTF-8), which System.Text.Json reports by throwing rather than by a parse error.
    /// </summary>
    public static bool TryGetString(JsonElement element, out string value)
    {
        value = "";
        if (element.ValueKind != JsonValueKind.String) return false;
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The issue for a JSON string that <see cref="TryGetString"/> could not read.</summary>
    public const string Unreadable = "must be valid Unicode text (it holds an unpaired surrogate or invalid UTF-8)";

    /// <summary>U+XXXX for a message; never the character itself, which may not print.</summary>
    public static string CodePoint(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
