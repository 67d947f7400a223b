using System.Text.Json;
using Partnerships.Core.Accounts;
using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;

namespace Partnerships.Tests.Domain;

public sealed class MclDomainTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static readonly IReadOnlyList<MappingRow> SeedMappings =
    [
        new(1500, 1610, "Beer", 1004), new(1500, 1611, "Wine", 1007), new(1500, 1612, "Craft Beer", 1004), new(1502, 1620, "Cigars", 1545),
    ];

    [Fact]
    public void Every_issue_of_a_PUT_is_reported_at_once()
    {
        var error = Assert.Throws<ApiError>(() => MclPutParser.Parse(Json("""
            {"blockedVerticals": [{"partnerVerticalId": 0, "partnerSubVerticalId": 1.5, "policy": "block"}], "domain": []}
            """)));
        Assert.Equal(["blockedVerticals[0].partnerSubVerticalId", "blockedVerticals[0].partnerVerticalId", "blockedVerticals[0].policy", "domain", "domains", "name"],
            error.Details.Select(d => d.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Position_1_policy_defaults_to_the_policy_and_exact_duplicates_collapse()
    {
        var request = MclPutParser.Parse(Json("""
            {"name": "n", "domains": [], "blockedVerticals": [
              {"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Allow"},
              {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"},
              {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block", "position1Policy": "Block"}]}
            """));
        Assert.Equal([new BlockedVertical(1500, 1610, Policy.Block, Policy.Block), new BlockedVertical(1502, 1620, Policy.Allow, Policy.Allow)],
            request.State.BlockedVerticals);
        Assert.Equal([1, 0], request.SourceIndexes);
    }

    [Fact]
    public void Reordering_the_same_content_keeps_the_hash_and_any_change_moves_it()
    {
        var a = MclPutParser.Parse(Json("""{"name":"n","domains":[{"domain":"b.example","policy":"Block"},{"domain":"a.example","policy":"Block"}],"blockedVerticals":[{"partnerVerticalId":1,"partnerSubVerticalId":2,"policy":"Block"},{"partnerVerticalId":1,"partnerSubVerticalId":3,"policy":"Allow"}]}""")).State;
        var b = MclPutParser.Parse(Json("""{"name":"n","domains":[{"domain":"A.example.","policy":"Block"},{"domain":"b.example","policy":"Block"}],"blockedVerticals":[{"partnerVerticalId":1,"partnerSubVerticalId":3,"policy":"Allow"},{"partnerVerticalId":1,"partnerSubVerticalId":2,"policy":"Block"}]}""")).State;
        Assert.Equal(ContentHash.Compute(4, a), ContentHash.Compute(4, b));
        Assert.Matches("^v4-[0-9a-f]{8}$", ContentHash.Compute(4, a));
        Assert.NotEqual(ContentHash.Compute(4, a), ContentHash.Compute(4, a with { Name = "m" }));
    }

    [Theory]
    [InlineData("https://Bücher.Example/path?q=1", "xn--bcher-kva.example")]
    [InlineData("competitor.example.com.", "competitor.example.com")]
    [InlineData("http://shop.example.com:8080", "shop.example.com")]
    public void Domains_normalise_to_one_host_name(string input, string expected)
    {
        Assert.True(DomainNormalizer.TryNormalize(input, out var normalized, out _));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("-bad.example")]
    [InlineData("has space.example")]
    [InlineData("")]
    public void Non_host_names_are_refused(string input) => Assert.False(DomainNormalizer.TryNormalize(input, out _, out _));

    [Fact]
    public void Blocking_one_pair_blocks_its_siblings_on_the_same_network_sub_vertical_only()
    {
        var state = new MclState("n", [new BlockedVertical(1500, 1610, Policy.Block, Policy.Block)], []);
        var effective = MclViews.Effective(state, SeedMappings).ToDictionary(e => e.VerticalId);
        Assert.Equal(4, effective.Count);
        Assert.Equal(Policy.Block, effective[1610].Policy);
        Assert.Equal(Policy.Block, effective[1612].Policy);
        Assert.Equal(Policy.Allow, effective[1611].Policy);
        Assert.Equal(Policy.Allow, effective[1620].Policy);
    }

    [Fact]
    public void Translation_names_every_unmapped_pair_by_its_request_index()
    {
        var request = MclPutParser.Parse(Json("""{"name":"n","domains":[],"blockedVerticals":[{"partnerVerticalId":9,"partnerSubVerticalId":9,"policy":"Block"},{"partnerVerticalId":1500,"partnerSubVerticalId":1610,"policy":"Block"},{"partnerVerticalId":1,"partnerSubVerticalId":1,"policy":"Block"}]}"""));
        var error = Assert.Throws<ApiError>(() => MclTranslator.Translate(request, SeedMappings));
        Assert.Equal(MclTranslator.UnmappedMessage, error.Message);
        Assert.Equal(["blockedVerticals[0]", "blockedVerticals[2]"], error.Details.Select(d => d.Field));
    }
}

public sealed class TaxonomyDomainTests
{
    [Fact]
    public void The_IAB_taxonomy_rolls_tier_3_up_to_its_tier_2_and_treats_the_self_parent_as_tier_1()
    {
        var network = NetworkTaxonomyParser.LoadDefault().ToDictionary(c => c.Id);
        Assert.Equal(1, network[1000].Tier); // "Ad Safety Risk" is its own parent in the source
        Assert.Equal((2, 1002L, (long?)1004L), (network[1004].Tier, network[1004].VerticalId, network[1004].SubVerticalId));
        var tier3 = network.Values.First(c => c.Tier == 3);
        Assert.Equal(tier3.ParentId, tier3.SubVerticalId);
        Assert.True(network.Count > 500);
    }

    [Fact]
    public void The_demo_mappings_validate_and_keep_the_seeds_many_to_one_shape()
    {
        var categories = NetworkTaxonomyParser.LoadDefault();
        var network = categories.ToDictionary(c => c.Id);
        var first = DemoTaxonomies.FirstPlatform(categories).ToDictionary(m => m.PartnerSubVerticalId);
        Assert.Equal(first[1610].NetworkSubVerticalId, first[1612].NetworkSubVerticalId);
        Assert.NotEqual(first[1610].NetworkSubVerticalId, first[1611].NetworkSubVerticalId);
        MappingImport.Validate([.. first.Values], network);

        var mcc = DemoTaxonomies.MccPlatform(categories);
        Assert.Equal(981, mcc.Count);
        MappingImport.Validate(mcc, network);
        Assert.Equal(1360, mcc.Single(m => m.PartnerSubVerticalId == 5812).NetworkSubVerticalId); // eating places → Restaurants
    }

    [Fact]
    public void CSV_fields_may_be_quoted_with_commas_and_doubled_quotes()
    {
        var rows = MappingImport.ParseCsv(new StringReader(
            "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n" +
            "1,2,\"Food, drink\",\"The \"\"best\"\" bars\",1003\n"));
        Assert.Equal("Food, drink", rows[0].PartnerVerticalName);
        Assert.Equal("The \"best\" bars", rows[0].PartnerSubVerticalName);
    }

    [Fact]
    public void A_vertical_is_not_a_mapping_target_and_a_pair_may_not_point_two_ways_in_one_load()
    {
        var network = NetworkTaxonomyParser.LoadDefault().ToDictionary(c => c.Id);
        var error = Assert.Throws<ApiError>(() => MappingImport.Validate(
            [new MappingInput(1, 2, null, null, 1002), new MappingInput(1, 3, null, null, 1003), new MappingInput(1, 3, null, null, 1004)], network));
        Assert.Equal(["rows[0]", "rows[2]"], error.Details.Select(d => d.Field));
    }
}

public sealed class RequestParserTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void A_registration_names_every_bad_field()
    {
        var error = Assert.Throws<ApiError>(() => RegistrationParser.Parse(Json("""
            {"brand": "", "vertical_id": -1, "sub_vertical_id": "1610", "country_code": "ZZ", "platform_parent_account_id": "p",
             "store_identifier": "shop.example.com", "external_account_id": "e", "contact_email": "x@", "pages": [{"surface": "tracking"}], "extra": 1}
            """)));
        Assert.Equal(["brand", "contact_email", "country_code", "extra", "pages[0].layout_type", "store_identifier", "sub_vertical_id", "vertical_id"],
            error.Details.Select(d => d.Field).Order(StringComparer.Ordinal));
        Assert.Contains(error.Details, d => d.Issue == "store_identifier shop.example.com is not a valid URL");
    }

    [Fact]
    public void Layout_colours_normalise_and_null_is_not_omission()
    {
        var patch = LayoutPatchParser.Parse(Json("""{"primaryColor": "#ABC", "borderRadius": 0}"""));
        Assert.Equal(new LayoutPatch("#aabbcc", null, null, null, 0), patch);
        var error = Assert.Throws<ApiError>(() => LayoutPatchParser.Parse(Json("""{"textColor": null}""")));
        Assert.Equal("textColor", error.Details.Single().Field);
        Assert.Throws<ApiError>(() => LayoutPatchParser.Parse(Json("{}")));
    }

    [Fact]
    public void The_country_list_holds_the_249_assigned_codes() => Assert.Equal(249, CountryCodes.Count);
}
