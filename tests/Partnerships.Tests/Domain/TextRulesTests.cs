using System.Text.Json;
using Partnerships.Core.Validation;

namespace Partnerships.Tests.Domain;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("Acme\0Outdoor", "control characters", "U+0000")]
    [InlineData("Acme\tOutdoor", "control characters", "U+0009")]
    [InlineData("Acme\r\nBcc: x@example.com", "control characters", "U+000D")]
    [InlineData("Acme\u007F", "control characters", "U+007F")]
    [InlineData("Acme\u0085Outdoor", "control characters", "U+0085")]
    [InlineData("Acme\u009BOutdoor", "control characters", "U+009B")]
    [InlineData("Acme\u2028Outdoor", "line or paragraph separators", "U+2028")]
    [InlineData("Acme\u2029Outdoor", "line or paragraph separators", "U+2029")]
    [InlineData("Acme \u202Egnp.exe", "bidirectional", "U+202E")]
    [InlineData("Acme \u2066x\u2069", "bidirectional", "U+2066")]
    public void Control_separator_and_bidi_override_characters_are_refused_and_named_by_code_point(string value, string kind, string codePoint)
    {
        var problem = TextRules.Problem(value);
        Assert.NotNull(problem);
        Assert.Contains(kind, problem);
        Assert.Contains(codePoint, problem);
    }

    [Fact]
    public void An_unpaired_surrogate_is_refused_and_a_paired_one_is_not()
    {
        Assert.Contains("unpaired surrogate", TextRules.Problem("Acme \ud800"));
        Assert.Contains("unpaired surrogate", TextRules.Problem("\udc00Acme"));
        Assert.Null(TextRules.Problem("Acme \ud83c\udfd5")); // a camping emoji, as a surrogate pair
        Assert.Equal("Acme Outdoor", TextRules.Clean("Acme\ud800 Outdoor"));
        Assert.Equal("Acme \ud83c\udfd5", TextRules.Clean("Acme \ud83c\udfd5\udc00"));
    }

    [Theory]
    [InlineData("Acme Outdoor")]
    [InlineData("Café Zürich & Söhne")]
    [InlineData("\u05D0\u05E7\u05DE\u05D4 \u200F(Acme)")] // Hebrew with a right-to-left mark
    [InlineData("\u0915\u094D\u200D\u0937")] // Devanagari with a zero-width joiner
    [InlineData("👩‍👩‍👧 Family Store")]
    public void Real_names_in_any_script_pass(string value) => Assert.Null(TextRules.Problem(value));

    [Fact]
    public void Check_trims_then_bounds_the_length()
    {
        Assert.Equal("Acme", TextRules.Check("  Acme ", 1, 200, out var issue));
        Assert.Null(issue);
        Assert.Null(TextRules.Check(new string('a', 201), 1, 200, out issue));
        Assert.Equal("must be 1 to 200 characters", issue);
        Assert.Null(TextRules.Check("   ", 1, 200, out issue));
        Assert.Equal("must not be empty", issue);
        Assert.Equal("", TextRules.Check("", 0, 200, out issue));
        Assert.Null(issue);
        // Refused before trimming: a trailing line break is not silently folded away.
        Assert.Null(TextRules.Check("Acme\r\n", 1, 200, out issue));
        Assert.Contains("U+000D", issue);
    }

    [Theory]
    [InlineData("Acme\r\nOutdoor", "Acme Outdoor")]
    [InlineData("Acme\n\n\nOutdoor", "Acme Outdoor")]
    [InlineData("Acme\tOutdoor\u2028Gear", "Acme Outdoor Gear")]
    [InlineData("\0Acme\u0007\u007F\u009B \u202EOutdoor\u202C", "Acme Outdoor")]
    [InlineData("  Acme\n", "Acme")]
    [InlineData("Acme Outdoor", "Acme Outdoor")]
    public void Clean_makes_one_clean_line_of_anything(string value, string expected)
    {
        var clean = TextRules.Clean(value);
        Assert.Equal(expected, clean);
        Assert.Null(TextRules.Problem(clean));
    }

    [Fact]
    public void Clean_cuts_to_the_bound_without_splitting_a_surrogate_pair()
    {
        var value = new string('a', 199) + "\ud83c\udfd5" + "tail";
        var clean = TextRules.Clean(value, 200);
        Assert.Equal(new string('a', 199), clean);
        Assert.Null(TextRules.Problem(clean));
    }

    [Fact]
    public void A_JSON_string_with_an_escaped_lone_surrogate_is_reported_not_thrown()
    {
        var element = JsonDocument.Parse("""{"brand": "Acme \ud800"}""").RootElement;
        var fields = JsonFields.Root(element, "brand");
        Assert.Null(fields.RequiredText("brand"));
        Assert.Equal(TextRules.Unreadable, Assert.Single(fields.Issues).Issue);
    }
}
