using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;

namespace Partnerships.Tests.Domain.Taxonomy;

public sealed class NetworkTaxonomyParserTests
{
    private const string Header = "Unique ID\tParent ID\tName\tTier 1\tTier 2\tTier 3\n";

    private static readonly Dictionary<long, NetworkCategory> Iab = NetworkTaxonomyParser.LoadDefault().ToDictionary(c => c.Id);

    private static IReadOnlyList<NetworkCategory> Parse(string body) => NetworkTaxonomyParser.ParseIabTsv(new StringReader(Header + body));

    [Fact]
    public void The_embedded_IAB_file_loads_every_category()
    {
        Assert.Equal(583, Iab.Count);
        Assert.Equal(45, Iab.Values.Count(c => c.Tier == 1));
    }

    [Fact]
    public void A_tier_1_category_is_its_own_vertical_and_has_no_sub_vertical()
    {
        Assert.Equal(new NetworkCategory(1002, null, "Alcohol", 1, 1002, null), Iab[1002]);
    }

    [Fact]
    public void A_tier_2_category_is_a_sub_vertical_of_its_parent()
    {
        Assert.Equal(new NetworkCategory(1004, 1002, "Beer", 2, 1002, 1004), Iab[1004]);
    }

    [Fact]
    public void A_tier_3_category_rolls_up_to_its_tier_2_parent_and_tier_1_ancestor()
    {
        // Travel and Tourism (1529) › Accommodations (1530) › Hotels and Resorts (1533)
        Assert.Equal(new NetworkCategory(1533, 1530, "Hotels and Resorts", 3, 1529, 1530), Iab[1533]);
    }

    [Fact]
    public void Ad_Safety_Risk_is_its_own_parent_in_the_source_and_is_read_as_tier_1()
    {
        Assert.Equal(new NetworkCategory(1000, null, "Ad Safety Risk", 1, 1000, null), Iab[1000]);
    }

    [Fact]
    public void A_self_parent_whose_tier_path_is_deeper_takes_its_parent_from_the_path()
    {
        // Row 1037 "Aerospace and Defense" is its own parent in the source, but its tier columns say Business and Industrial › Industrials.
        Assert.Equal(new NetworkCategory(1037, 1036, "Aerospace and Defense", 3, 1010, 1036), Iab[1037]);
        Assert.Equal(1036, Iab[1038].SubVerticalId);
    }

    [Fact]
    public void A_parent_id_that_contradicts_the_tier_path_yields_to_the_path()
    {
        // Row 1426 "Core Gaming Apps" names 1423 "Casual Games" as parent; its tier columns say Media › Core Gaming (1425).
        Assert.Equal((1425L, 1425L), (Iab[1426].ParentId!.Value, Iab[1426].SubVerticalId!.Value));
    }

    [Fact]
    public void Without_tier_columns_the_parent_id_decides_and_a_self_parent_is_a_root()
    {
        var categories = NetworkTaxonomyParser.ParseIabTsv(new StringReader("Unique ID\tParent ID\tName\n1\t1\tRoot\n2\t1\tChild\n3\t2\tGrandchild\n"))
            .ToDictionary(c => c.Id);
        Assert.Equal(new NetworkCategory(1, null, "Root", 1, 1, null), categories[1]);
        Assert.Equal(new NetworkCategory(3, 2, "Grandchild", 3, 1, 2), categories[3]);
    }

    [Fact]
    public void Windows_line_endings_and_blank_lines_are_accepted()
    {
        var categories = NetworkTaxonomyParser.ParseIabTsv(new StringReader("Unique ID\tParent ID\tName\r\n1\t\tRoot\r\n\r\n2\t1\tChild\r\n"));
        Assert.Equal(["Root", "Child"], categories.Select(c => c.Name));
    }

    [Fact]
    public void A_file_without_the_IAB_header_is_rejected_on_line_1()
    {
        var error = Assert.Throws<ApiError>(() => NetworkTaxonomyParser.ParseIabTsv(new StringReader("id,parent,name\n1,,Root\n")));
        Assert.Equal(400, error.Status);
        Assert.Equal("line 1", error.Details.Single().Field);
    }

    [Fact]
    public void Every_bad_line_is_named_in_one_rejection()
    {
        var error = Assert.Throws<ApiError>(() => Parse("1\t\tRoot\tRoot\t\t\nx\t1\tBad id\t\t\t\n3\t99\tOrphan\t\t\t\n4\t1\t\t\t\t\n1\t\tAgain\t\t\t\n"));
        Assert.Equal(400, error.Status);
        Assert.Equal(["line 3", "line 4", "line 5", "line 6"], error.Details.Select(d => d.Field));
        Assert.Equal("Taxonomy file rejected: 4 bad rows", error.Message);
    }

    [Fact]
    public void A_parent_cycle_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => NetworkTaxonomyParser.ParseIabTsv(new StringReader("Unique ID\tParent ID\tName\n1\t2\tA\n2\t1\tB\n")));
        Assert.Equal(["line 2", "line 3"], error.Details.Select(d => d.Field));
    }

    [Fact]
    public void A_file_with_only_a_header_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => Parse(""));
        Assert.Equal(400, error.Status);
    }
}
