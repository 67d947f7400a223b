using Partnerships.Core.Taxonomy;

namespace Partnerships.Tests.Domain.Taxonomy;

public sealed class DemoTaxonomiesTests
{
    private static readonly IReadOnlyList<NetworkCategory> Categories = NetworkTaxonomyParser.LoadDefault();
    private static readonly Dictionary<long, NetworkCategory> Network = Categories.ToDictionary(c => c.Id);

    private static Dictionary<long, MappingInput> First() => DemoTaxonomies.FirstPlatform(Categories).ToDictionary(m => m.PartnerSubVerticalId);

    [Fact]
    public void The_first_platform_holds_exactly_the_seed_pairs_with_names()
    {
        var rows = DemoTaxonomies.FirstPlatform(Categories);
        Assert.Equal([(1500L, 1610L), (1500L, 1611L), (1500L, 1612L), (1502L, 1620L)], rows.Select(r => (r.PartnerVerticalId, r.PartnerSubVerticalId)));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.PartnerVerticalName) || string.IsNullOrEmpty(r.PartnerSubVerticalName)));
    }

    [Fact]
    public void Beer_and_craft_beer_share_one_network_sub_vertical()
    {
        var first = First();
        Assert.Equal(Network[first[1610].NetworkSubVerticalId].SubVerticalId, Network[first[1612].NetworkSubVerticalId].SubVerticalId);
    }

    [Fact]
    public void Wine_and_cigars_map_to_other_network_sub_verticals()
    {
        var first = First();
        var beer = Network[first[1610].NetworkSubVerticalId].SubVerticalId;
        var wine = Network[first[1611].NetworkSubVerticalId].SubVerticalId;
        var cigars = Network[first[1620].NetworkSubVerticalId].SubVerticalId;
        Assert.Equal(3, new[] { beer, wine, cigars }.Distinct().Count());
    }

    [Fact]
    public void The_first_platform_targets_are_tier_2_sub_verticals()
    {
        Assert.All(First().Values, m => Assert.Equal(2, Network[m.NetworkSubVerticalId].Tier));
    }

    [Fact]
    public void The_first_platform_passes_validation()
    {
        MappingImport.Validate(DemoTaxonomies.FirstPlatform(Categories), Network);
    }

    [Fact]
    public void The_demo_needs_the_IAB_taxonomy()
    {
        Assert.Throws<InvalidOperationException>(() => DemoTaxonomies.FirstPlatform([new NetworkCategory(1, null, "Other", 1, 1, null)]));
        Assert.Throws<InvalidOperationException>(() => DemoTaxonomies.MccPlatform([new NetworkCategory(1, null, "Other", 1, 1, null)]));
    }

    [Fact]
    public void Every_one_of_the_981_MCCs_is_mapped_once()
    {
        var mcc = DemoTaxonomies.MccPlatform(Categories);
        Assert.Equal(981, mcc.Count);
        Assert.Equal(981, mcc.Select(m => m.PartnerSubVerticalId).Distinct().Count());
    }

    [Fact]
    public void The_MCC_mapping_passes_validation()
    {
        MappingImport.Validate(DemoTaxonomies.MccPlatform(Categories), Network);
    }

    [Fact]
    public void An_MCC_sits_in_its_hundreds_bucket_and_is_named_by_its_edited_description()
    {
        var row = DemoTaxonomies.MccPlatform(Categories).Single(m => m.PartnerSubVerticalId == 5812);
        Assert.Equal((5800L, "Eating places and Restaurants"), (row.PartnerVerticalId, row.PartnerSubVerticalName));
        Assert.Equal(742, DemoTaxonomies.MccPlatform(Categories).Single(m => m.PartnerSubVerticalId == 742).PartnerSubVerticalId);
        Assert.Equal(700, DemoTaxonomies.MccPlatform(Categories).Single(m => m.PartnerSubVerticalId == 742).PartnerVerticalId);
    }

    [Theory]
    [InlineData(5812, 1360)] // Eating places and Restaurants → Restaurants
    [InlineData(5813, 1003)] // Drinking Places … Bars → Bars
    [InlineData(5921, 1006)] // Package Stores – Beer, Wine, and Liquor → Spirits
    [InlineData(5993, 1545)] // Cigar Stores and Stands → Cigars
    [InlineData(7995, 1366)] // Betting → Sports Betting
    [InlineData(5411, 1501)] // Grocery Stores, Supermarkets → Grocery Stores and Supermarkets
    [InlineData(1711, 1411)] // Heating Contractors → Plumbers, not Restaurants ("eating" is not a word in "heating")
    [InlineData(7230, 1090)] // Barber and Beauty Shops → Hair Salons, not Bars ("bar" is not a word in "barber")
    [InlineData(7217, 1407)] // Carpet and Upholstery Cleaning → Housekeeping, not Pet stores
    public void Keywords_match_whole_words_in_the_description(long mcc, long target)
    {
        Assert.Equal(target, DemoTaxonomies.MccPlatform(Categories).Single(m => m.PartnerSubVerticalId == mcc).NetworkSubVerticalId);
    }

    [Theory]
    [InlineData(3012, 1537)] // QANTAS → Air Travel
    [InlineData(3357, 1567)] // HERTZ RENT-A-CAR → Vehicle Rental
    [InlineData(3504, 1533)] // HILTON HOTELS → Hotels and Resorts
    public void Brand_codes_map_by_their_ISO_18245_range(long mcc, long target)
    {
        Assert.Equal(target, DemoTaxonomies.MccPlatform(Categories).Single(m => m.PartnerSubVerticalId == mcc).NetworkSubVerticalId);
    }

    [Fact]
    public void A_code_no_keyword_matches_maps_to_the_documented_fallback()
    {
        Assert.Equal(DemoTaxonomies.MccFallback, DemoTaxonomies.MccTarget(9950, "Intra – Company Purchases ( For Visa Only)"));
        Assert.Equal(2, Network[DemoTaxonomies.MccFallback].Tier);
    }
}
