using Partnerships.Core.Controls;

namespace Partnerships.Tests.Domain.Controls;

public sealed class DomainNormalizerTests
{
    private static string Normalise(string input)
    {
        Assert.True(DomainNormalizer.TryNormalize(input, out var normalized, out var issue), issue);
        Assert.Equal("", issue);
        return normalized;
    }

    private static string Refuse(string input)
    {
        Assert.False(DomainNormalizer.TryNormalize(input, out var normalized, out var issue));
        Assert.Equal("", normalized);
        Assert.NotEqual("", issue);
        return issue;
    }

    [Fact]
    public void An_international_domain_becomes_punycode_without_its_scheme_and_path()
    {
        Assert.Equal("xn--bcher-kva.example", Normalise("https://Bücher.Example/path"));
    }

    [Fact]
    public void A_domain_already_in_punycode_is_kept()
    {
        Assert.Equal("xn--bcher-kva.example", Normalise("xn--bcher-kva.example"));
    }

    [Fact]
    public void A_domain_is_trimmed_and_lower_cased()
    {
        Assert.Equal("competitor.example.com", Normalise("  Competitor.EXAMPLE.com\t"));
    }

    [Theory]
    [InlineData("http://shop.example.com")]
    [InlineData("https://shop.example.com/")]
    [InlineData("https://shop.example.com/deals/today?ref=1#top")]
    [InlineData("shop.example.com/deals")]
    [InlineData("shop.example.com?ref=1")]
    [InlineData("shop.example.com:8443")]
    [InlineData("https://user:secret@shop.example.com:8443/x")]
    [InlineData("//shop.example.com/x")]
    public void Scheme_user_info_port_path_query_and_fragment_are_stripped(string input)
    {
        Assert.Equal("shop.example.com", Normalise(input));
    }

    [Fact]
    public void The_trailing_root_dot_is_stripped()
    {
        Assert.Equal("competitor.example.com", Normalise("competitor.example.com."));
    }

    [Fact]
    public void Digits_and_inner_hyphens_are_allowed_in_labels()
    {
        Assert.Equal("shop-24.example7.com", Normalise("shop-24.example7.com"));
    }

    [Fact]
    public void A_label_of_63_characters_is_accepted()
    {
        var label = new string('a', 63);
        Assert.Equal($"{label}.example", Normalise($"{label}.example"));
    }

    [Fact]
    public void A_label_of_64_characters_is_refused()
    {
        Refuse($"{new string('a', 64)}.example");
    }

    [Fact]
    public void A_host_name_of_253_characters_is_accepted()
    {
        var host = string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".c"; // 4 * 62 + 3 dots + ".c"
        Assert.Equal(253, host.Length);
        Assert.Equal(host, Normalise(host));
    }

    [Fact]
    public void A_host_name_longer_than_253_characters_is_refused()
    {
        var host = string.Join('.', Enumerable.Repeat(new string('a', 62), 4)) + ".co";
        Assert.Equal(254, host.Length);
        Refuse(host);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("https://localhost:8080/")]
    public void A_single_label_is_refused(string input)
    {
        Refuse(input);
    }

    [Theory]
    [InlineData("-shop.example")]
    [InlineData("shop-.example")]
    [InlineData("shop.example-")]
    public void A_label_starting_or_ending_with_a_hyphen_is_refused(string input)
    {
        Refuse(input);
    }

    [Theory]
    [InlineData("shop_1.example")]
    [InlineData("has space.example")]
    [InlineData("*.example.com")]
    [InlineData("shop!.example")]
    public void Characters_outside_letters_digits_and_hyphens_are_refused(string input)
    {
        Refuse(input);
    }

    [Theory]
    [InlineData("shop..example")]
    [InlineData(".example.com")]
    [InlineData("example.com..")]
    public void An_empty_label_is_refused(string input)
    {
        Refuse(input);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("https://")]
    [InlineData("https:///path")]
    public void Input_without_a_host_is_refused(string input)
    {
        Refuse(input);
    }

    [Theory]
    [InlineData("192.168.1.10")]
    [InlineData("http://10.0.0.1:8080/")]
    [InlineData("[::1]")]
    public void An_IP_address_is_not_a_domain(string input)
    {
        Refuse(input);
    }

    [Fact]
    public void The_issue_quotes_the_input_as_sent()
    {
        Assert.Contains("\"shop_1.example\"", Refuse("shop_1.example"));
    }
}
