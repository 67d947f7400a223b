using System.Text.Json;
using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;

namespace Partnerships.Tests.Domain.Taxonomy;

public sealed class MappingImportJsonTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void One_object_is_one_row()
    {
        var rows = MappingImport.ParseJson(Json("""{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "partnerVerticalName": "Alcohol", "partnerSubVerticalName": "Beer", "networkSubVerticalId": 1004}"""));
        Assert.Equal(new MappingInput(1500, 1610, "Alcohol", "Beer", 1004), rows.Single()); // a single object has no index
    }

    [Fact]
    public void An_array_is_one_row_per_object_and_names_are_optional()
    {
        var rows = MappingImport.ParseJson(Json("""
            [{"partnerVerticalId": 1, "partnerSubVerticalId": 2, "networkSubVerticalId": 1004},
             {"partnerVerticalId": 1, "partnerSubVerticalId": 3, "partnerSubVerticalName": null, "networkSubVerticalId": 1007}]
            """));
        Assert.Equal([(2L, (string?)null, 1004L), (3L, null, 1007L)], rows.Select(r => (r.PartnerSubVerticalId, r.PartnerSubVerticalName, r.NetworkSubVerticalId)));
        Assert.Equal(["[0]", "[1]"], rows.Select(r => r.Source));
    }

    [Fact]
    public void Issues_in_an_array_name_the_index_and_field()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.ParseJson(Json("""
            [{"partnerVerticalId": 1, "partnerSubVerticalId": 2, "networkSubVerticalId": 1004},
             {"partnerVerticalId": "1", "partnerSubVerticalId": 0, "networkSubVerticalId": 1004, "colour": "red"},
             7]
            """)));
        Assert.Equal(400, error.Status);
        Assert.Equal(["[1].colour", "[1].partnerSubVerticalId", "[1].partnerVerticalId", "[2]"], error.Details.Select(d => d.Field).Order(StringComparer.Ordinal));
        Assert.Equal("Mapping load rejected: 2 bad rows", error.Message);
    }

    [Fact]
    public void Issues_in_a_single_object_name_the_bare_field()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.ParseJson(Json("""{"partnerVerticalId": 1, "partnerSubVerticalId": 2}""")));
        Assert.Equal("networkSubVerticalId", error.Details.Single().Field);
    }

    [Fact]
    public void An_unknown_field_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.ParseJson(Json("""{"partnerVerticalId": 1, "partnerSubVerticalId": 2, "networkSubVerticalId": 1004, "policy": "Block"}""")));
        Assert.Equal(new FieldIssue("policy", "unknown field"), error.Details.Single());
    }

    [Fact]
    public void An_empty_array_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.ParseJson(Json("[]")));
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void A_body_that_is_neither_object_nor_array_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.ParseJson(Json("\"rows\"")));
        Assert.Equal("", error.Details.Single().Field);
    }
}

public sealed class MappingImportCsvTests
{
    private const string Header = "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n";

    private static IReadOnlyList<MappingInput> Parse(string text) => MappingImport.ParseCsv(new StringReader(text));

    [Fact]
    public void Each_line_after_the_header_is_one_row_remembering_its_line()
    {
        var rows = Parse(Header + "1500,1610,Alcohol,Beer,1004\n1500,1611,Alcohol,Wine,1007\n");
        Assert.Equal(
            [new MappingInput(1500, 1610, "Alcohol", "Beer", 1004) { Source = "line 2" }, new MappingInput(1500, 1611, "Alcohol", "Wine", 1007) { Source = "line 3" }],
            rows);
    }

    [Fact]
    public void Quoted_names_may_hold_commas_and_doubled_quotes()
    {
        var row = Parse(Header + "1,2,\"Food, drink\",\"The \"\"best\"\" bars\",1003\n").Single();
        Assert.Equal(("Food, drink", "The \"best\" bars"), (row.PartnerVerticalName, row.PartnerSubVerticalName));
    }

    [Fact]
    public void Empty_names_are_null()
    {
        var row = Parse(Header + "1,2,,,1003\n").Single();
        Assert.Equal(((string?)null, (string?)null), (row.PartnerVerticalName, row.PartnerSubVerticalName));
    }

    [Fact]
    public void The_name_columns_may_be_left_out_and_columns_may_come_in_any_order()
    {
        var row = Parse("network_sub_vertical_id,partner_sub_vertical_id,partner_vertical_id\n1003,2,1\n").Single();
        Assert.Equal(new MappingInput(1, 2, null, null, 1003) { Source = "line 2" }, row);
    }

    [Fact]
    public void Bad_cells_are_named_by_line_and_column_and_every_bad_line_is_reported()
    {
        var error = Assert.Throws<ApiError>(() => Parse(Header + "1,2,A,B,1003\n1,x,A,B,1003\n0,3,A,B,\n"));
        Assert.Equal(["line 3: partner_sub_vertical_id", "line 4: partner_vertical_id", "line 4: network_sub_vertical_id"], error.Details.Select(d => d.Field));
        Assert.Equal("Mapping load rejected: 2 bad rows", error.Message);
    }

    [Fact]
    public void A_line_with_more_fields_than_the_header_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => Parse(Header + "1,2,Food, drink,Bars,1003\n"));
        Assert.Equal("line 2", error.Details.Single().Field);
    }

    [Fact]
    public void A_header_missing_a_required_column_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => Parse("partner_vertical_id,partner_sub_vertical_id\n1,2\n"));
        Assert.Equal(new FieldIssue("line 1", "missing column network_sub_vertical_id"), error.Details.Single());
    }

    [Fact]
    public void An_unknown_header_column_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => Parse("partner_vertical_id,partner_sub_vertical_id,network_sub_vertical_id,policy\n1,2,1003,Block\n"));
        Assert.Equal("line 1", error.Details.Single().Field);
        Assert.Contains("policy", error.Details.Single().Issue);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        Assert.Equal(400, Assert.Throws<ApiError>(() => Parse("")).Status);
    }

    [Fact]
    public void A_header_without_rows_is_rejected()
    {
        Assert.Equal("line 2", Assert.Throws<ApiError>(() => Parse(Header)).Details.Single().Field);
    }

    [Fact]
    public void ReadCsv_keeps_the_good_rows_and_the_issues_of_the_bad_ones()
    {
        var load = MappingImport.ReadCsv(new StringReader(Header + "1,2,A,B,1003\n1,x,A,B,1003\n"));
        Assert.Equal(2, load.Rows.Single().PartnerSubVerticalId);
        Assert.Equal("line 3: partner_sub_vertical_id", load.Issues.Single().Field);
    }
}

public sealed class MappingImportValidateTests
{
    private static readonly Dictionary<long, NetworkCategory> Network = NetworkTaxonomyParser.LoadDefault().ToDictionary(c => c.Id);

    [Fact]
    public void Tier_2_and_tier_3_targets_are_accepted()
    {
        MappingImport.Validate([new MappingInput(1, 2, null, null, 1004), new MappingInput(1, 3, null, null, 1533)], Network);
    }

    [Fact]
    public void A_tier_1_vertical_is_not_a_target()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.Validate([new MappingInput(1, 2, null, null, 1002)], Network));
        Assert.Equal("rows[0]", error.Details.Single().Field);
        Assert.Contains("is a vertical", error.Details.Single().Issue);
    }

    [Fact]
    public void A_target_missing_from_the_network_taxonomy_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.Validate([new MappingInput(1, 2, null, null, 999999)], Network));
        Assert.Contains("does not exist", error.Details.Single().Issue);
    }

    [Fact]
    public void The_same_pair_twice_with_different_targets_is_rejected_on_the_second_row()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.Validate(
            [new MappingInput(1, 2, null, null, 1004), new MappingInput(1, 2, null, null, 1007)], Network));
        Assert.Equal("rows[1]", error.Details.Single().Field);
    }

    [Fact]
    public void The_same_pair_twice_with_the_same_target_is_accepted()
    {
        MappingImport.Validate([new MappingInput(1, 2, null, null, 1004), new MappingInput(1, 2, null, null, 1004)], Network);
    }

    [Fact]
    public void Many_partner_pairs_may_share_one_target()
    {
        MappingImport.Validate([new MappingInput(1, 2, null, null, 1004), new MappingInput(1, 3, null, null, 1004), new MappingInput(9, 2, null, null, 1004)], Network);
    }

    [Fact]
    public void Every_bad_row_is_listed_once_in_one_rejection()
    {
        var error = Assert.Throws<ApiError>(() => MappingImport.Validate(
        [
            new MappingInput(1, 2, null, null, 1002),   // vertical
            new MappingInput(1, 3, null, null, 1004),   // good
            new MappingInput(1, 4, null, null, 999999), // unknown
            new MappingInput(1, 3, null, null, 1002),   // vertical and a second target for {1,3}
        ], Network));
        Assert.Equal(400, error.Status);
        Assert.Equal("Mapping load rejected: 3 bad rows", error.Message);
        Assert.Equal(["rows[0]", "rows[2]", "rows[3]"], error.Details.Select(d => d.Field));
        Assert.Contains("already maps to 1004", error.Details[2].Issue);
    }

    [Fact]
    public void Rows_are_named_by_where_they_came_from_and_parse_issues_join_in_line_order()
    {
        var csv = "partner_vertical_id,partner_sub_vertical_id,network_sub_vertical_id\n1,2,1003\n1,3,999999\n1,x,1003\n1,5,1002\n";
        var load = MappingImport.ReadCsv(new StringReader(csv));
        var error = Assert.Throws<ApiError>(() => MappingImport.Validate(load.Rows, Network, load.Issues));
        Assert.Equal(["line 3", "line 4: partner_sub_vertical_id", "line 5"], error.Details.Select(d => d.Field));
        Assert.Equal("Mapping load rejected: 3 bad rows", error.Message);
    }
}
