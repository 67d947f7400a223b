using Partnerships.Core.Controls;
using Partnerships.Core.Validation;

namespace Partnerships.Tests.Domain.Controls;

public sealed class DefaultControlsNameTests
{
    [Fact]
    public void A_new_merchants_controls_are_named_after_its_brand()
    {
        Assert.Equal("Acme Outdoor controls", DefaultControlsName.For("Acme Outdoor"));
    }

    [Fact]
    public void A_brand_of_the_longest_length_is_cut_so_the_name_stays_within_its_bound()
    {
        var name = DefaultControlsName.For(new string('x', 200));
        Assert.Equal(new string('x', 191) + " controls", name);
        Assert.Equal(name, TextRules.Check(name, 1, DefaultControlsName.MaxLength, out _));
    }

    [Fact]
    public void A_cut_that_ends_in_a_space_leaves_no_double_space()
    {
        Assert.Equal(new string('x', 190) + " controls", DefaultControlsName.For(new string('x', 190) + " " + new string('y', 9)));
    }

    [Theory]
    [InlineData("\r\n\u0007")]
    [InlineData("   ")]
    public void A_brand_that_cleans_to_nothing_gives_the_fallback(string brand)
    {
        Assert.Equal(DefaultControlsName.Fallback, DefaultControlsName.For(brand));
    }

    [Fact]
    public void A_brand_stored_before_the_text_rules_is_cleaned_into_a_name_the_PUT_accepts()
    {
        var name = DefaultControlsName.For("Acme\r\nOutdoor\u202E");
        Assert.Equal("Acme Outdoor controls", name);
        Assert.Equal(name, TextRules.Check(name, 1, DefaultControlsName.MaxLength, out var issue));
        Assert.Null(issue);
    }
}
