using Partnerships.Core.Controls;
using Partnerships.Core.Taxonomy;

namespace Partnerships.Tests.Domain.Taxonomy;

public sealed class TaxonomyCoverageTests
{
    private static readonly IReadOnlyList<MappedCategory> Mapped =
    [
        new(1500, 1610, "Alcohol", "Beer"),
        new(1500, 1611, "Alcohol", "Wine"),
        new(1502, 1620, "Tobacco", "Cigars"),
    ];

    [Fact]
    public void Each_line_says_whether_its_pair_is_mapped_and_why_not()
    {
        var report = TaxonomyCoverage.Check("""
            partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name
            1500,1610,Alcohol,Beer
            1500,1699,Alcohol,Cider
            1500,abc,Alcohol,Mead
            """, Mapped);

        Assert.Null(report.Refusal);
        Assert.Equal([(2, CoverageStatus.Mapped), (3, CoverageStatus.NotMapped), (4, CoverageStatus.Invalid)], report.Lines.Select(l => (l.Line, l.Status)));
        Assert.Equal(new PartnerPair(1500, 1699), report.Lines[1].Pair);
        Assert.Contains("not mapped yet", report.Lines[1].Reason);
        Assert.Equal("the sub-vertical id 'abc' is not a positive integer", report.Lines[2].Reason);
        Assert.Equal(2, report.MappedPairsNotListed);
    }

    [Fact]
    public void A_list_without_a_header_is_read_by_position_and_a_repeated_pair_names_its_first_line()
    {
        var report = TaxonomyCoverage.Check("1500,1611,Alcohol,Wine\n1500,1611,Alcohol,Wine\n1502,1620\n", Mapped);

        Assert.Equal([CoverageStatus.Mapped, CoverageStatus.Repeated, CoverageStatus.Mapped], report.Lines.Select(l => l.Status));
        Assert.Equal("the same pair as line 1", report.Lines[1].Reason);
        Assert.Contains(report.Notes, n => n.Contains("no header"));
    }

    [Fact]
    public void Registration_field_names_are_accepted_and_unread_columns_are_noted()
    {
        var report = TaxonomyCoverage.Check("sub_vertical_id,vertical_id,name,network_sub_vertical_id\n1610,1500,Beer,1004\n", Mapped);

        Assert.Equal(CoverageStatus.Mapped, report.Lines.Single().Status);
        Assert.Equal(["Column 'network_sub_vertical_id' is not read."], report.Notes);
    }

    [Fact]
    public void A_mapped_pair_named_otherwise_in_the_mapping_table_is_flagged()
    {
        var report = TaxonomyCoverage.Check("vertical_id,sub_vertical_id,sub_vertical_name\n1500,1610,Wine\n", Mapped);
        Assert.Equal("mapped, but the mapping table names it \"Alcohol › Beer\": check the ids", report.Lines.Single().Reason);
    }

    [Fact]
    public void A_sub_vertical_mapped_under_another_vertical_is_pointed_out()
    {
        var report = TaxonomyCoverage.Check("vertical_id,sub_vertical_id\n1502,1610\n", Mapped);
        Assert.EndsWith("sub-vertical 1610 is mapped under vertical 1500", report.Lines.Single().Reason);
    }

    [Fact]
    public void Lines_with_too_many_fields_a_missing_id_or_an_unclosed_quote_are_named()
    {
        var report = TaxonomyCoverage.Check("vertical_id,sub_vertical_id,name\n1500,1610,Beer,extra\n,1611,Wine\n1502,1620,\"Cigars\n", Mapped);

        Assert.Equal([(2, CoverageStatus.Invalid), (3, CoverageStatus.Invalid), (4, CoverageStatus.Invalid)], report.Lines.Select(l => (l.Line, l.Status)));
        Assert.Contains("has 4 fields but the header has 3", report.Lines[0].Reason);
        Assert.Equal("the vertical id is missing", report.Lines[1].Reason);
        Assert.Contains("never closed", report.Lines[2].Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("category,sub\nfoo,bar\n")]
    [InlineData("vertical_id,name\n1500,Beer\n")]
    public void A_list_that_cannot_be_read_is_refused_as_a_whole(string text)
    {
        var report = TaxonomyCoverage.Check(text, Mapped);
        Assert.NotNull(report.Refusal);
        Assert.Empty(report.Lines);
    }

    [Fact]
    public void A_list_over_the_size_bound_is_refused_unread()
    {
        var report = TaxonomyCoverage.Check(new string('1', TaxonomyCoverage.MaxCharacters + 1), Mapped);
        Assert.Contains("larger than", report.Refusal);
    }
}
