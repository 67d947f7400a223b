using Partnerships.Core.Validation;

namespace Partnerships.Core.Controls;

/// <summary>
/// The name a merchant's marketplace controls start with: the brand and " controls", within the name's rules (one line,
/// at most 200 characters: the brand is cleaned and cut to leave room for the suffix). A GET of a new merchant's controls
/// therefore shows a name the PUT accepts, so GET-modify-PUT works from the first day.
/// </summary>
public static class DefaultControlsName
{
    public const string Suffix = " controls";

    /// <summary>For a brand that cleans to nothing (only ever stored before the text rules).</summary>
    public const string Fallback = "Marketplace controls";

    public const int MaxLength = TextRules.DefaultMaxLength;

    public static string For(string brand)
    {
        var head = TextRules.Clean(brand, MaxLength - Suffix.Length);
        return head.Length == 0 ? Fallback : head + Suffix;
    }
}
