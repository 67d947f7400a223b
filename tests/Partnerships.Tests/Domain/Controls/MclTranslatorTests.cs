using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using static Partnerships.Tests.Domain.Controls.ControlsTestData;
using Partnerships.Application.Features.Controls;

namespace Partnerships.Tests.Domain.Controls;

public sealed class MclTranslatorTests
{
    private static MclPutRequest Request(string blockedVerticals) => MclPutParser.Parse(Body(blockedVerticals: blockedVerticals));

    private static ApiError Unmapped(string blockedVerticals, IReadOnlyList<MappingRow>? mappings = null)
    {
        var request = Request(blockedVerticals);
        return Assert.Throws<ApiError>(() => MclTranslator.Translate(request, mappings ?? SeedMappings));
    }

    [Fact]
    public void Every_mapped_pair_is_translated_to_its_network_sub_vertical()
    {
        var translated = MclTranslator.Translate(Request("""
            [{"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1612, "policy": "Allow", "position1Policy": "Block"}]
            """), SeedMappings);
        Assert.Equal(
            [new TranslatedBlock(Entry(1500, 1612, Policy.Allow, Policy.Block), Beer), new TranslatedBlock(Entry(1502, 1620, Policy.Block), Tobacco)],
            translated);
    }

    [Fact]
    public void Two_pairs_may_translate_to_the_same_network_sub_vertical()
    {
        var translated = MclTranslator.Translate(Request("""
            [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1612, "policy": "Block"}]
            """), SeedMappings);
        Assert.Equal([Beer, Beer], translated.Select(t => t.NetworkSubVerticalId));
    }

    [Fact]
    public void An_empty_list_translates_even_without_any_mapping_rows()
    {
        Assert.Empty(MclTranslator.Translate(Request("[]"), []));
    }

    [Fact]
    public void An_unmapped_pair_is_a_400_with_the_seeds_message()
    {
        var error = Unmapped("""[{"partnerVerticalId": 1500, "partnerSubVerticalId": 9999, "policy": "Block"}]""");
        Assert.Equal(400, error.Status);
        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Equal("No partnership vertical mapping exists for MCL translation", error.Message);
        Assert.Equal(MclTranslator.UnmappedMessage, error.Message);
    }

    [Fact]
    public void The_unmapped_pair_is_named_in_the_issue()
    {
        var error = Unmapped("""[{"partnerVerticalId": 1500, "partnerSubVerticalId": 9999, "policy": "Block"}]""");
        var issue = Assert.Single(error.Details);
        Assert.Equal(new FieldIssue("blockedVerticals[0]", "no mapping for partnerVerticalId 1500 / partnerSubVerticalId 9999"), issue);
    }

    [Fact]
    public void Every_unmapped_pair_is_listed_by_its_index_in_the_request_as_sent()
    {
        var error = Unmapped("""
            [{"partnerVerticalId": 9000, "partnerSubVerticalId": 9001, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"},
             {"partnerVerticalId": 1, "partnerSubVerticalId": 2, "policy": "Allow"},
             {"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 9999, "policy": "Block"}]
            """);
        Assert.Equal(["blockedVerticals[0]", "blockedVerticals[2]", "blockedVerticals[4]"], error.Details.Select(d => d.Field));
        Assert.Contains("partnerVerticalId 9000 / partnerSubVerticalId 9001", error.Details[0].Issue);
        Assert.Contains("partnerVerticalId 1 / partnerSubVerticalId 2", error.Details[1].Issue);
        Assert.Contains("partnerVerticalId 1500 / partnerSubVerticalId 9999", error.Details[2].Issue);
    }

    [Fact]
    public void A_known_sub_vertical_under_the_wrong_vertical_is_unmapped()
    {
        var error = Unmapped("""[{"partnerVerticalId": 1502, "partnerSubVerticalId": 1610, "policy": "Block"}]""");
        Assert.Equal(["blockedVerticals[0]"], error.Details.Select(d => d.Field));
    }

    [Fact]
    public void A_collapsed_duplicate_that_is_unmapped_is_listed_once_at_its_first_index()
    {
        var error = Unmapped("""
            [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"},
             {"partnerVerticalId": 7, "partnerSubVerticalId": 8, "policy": "Block"},
             {"partnerVerticalId": 7, "partnerSubVerticalId": 8, "policy": "Block"}]
            """);
        Assert.Equal(["blockedVerticals[1]"], error.Details.Select(d => d.Field));
    }

    [Fact]
    public void Another_platforms_rows_do_not_count_only_the_rows_given()
    {
        IReadOnlyList<MappingRow> otherPlatform = [new(1500, 1611, "Wine", Wine)];
        var error = Unmapped("""[{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"}]""", otherPlatform);
        Assert.Single(error.Details);
    }
}
