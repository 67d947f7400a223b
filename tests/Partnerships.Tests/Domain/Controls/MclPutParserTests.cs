using Partnerships.Core.Controls;
using static Partnerships.Tests.Domain.Controls.ControlsTestData;
using Partnerships.Application.Features.Controls;

namespace Partnerships.Tests.Domain.Controls;

public sealed class MclPutParserTests
{
    private const string Block1610 = """{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"}""";

    private static string OneVertical(string idFields, string policyFields = "\"policy\": \"Block\"") => $"[{{{idFields}, {policyFields}}}]";

    // --- the body and its top-level fields ---

    [Theory]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void A_body_that_is_not_a_JSON_object_is_rejected_on_the_whole_body(string json)
    {
        var error = Reject(json);
        Assert.Equal([""], Fields(error));
    }

    [Fact]
    public void A_rejection_is_a_400_BadRequest_whose_message_is_the_first_issue_and_counts_the_rest()
    {
        var error = Reject("{}");
        Assert.Equal(3, error.Details.Count);
        Assert.Equal("name: is required (and 2 more issues)", error.Message);
    }

    [Fact]
    public void A_missing_blockedVerticals_field_is_rejected_not_treated_as_empty()
    {
        var error = Reject("""{"name": "n", "domains": []}""");
        Assert.Equal(["blockedVerticals"], Fields(error));
        Assert.Contains("required", IssueFor(error, "blockedVerticals"));
    }

    [Fact]
    public void A_null_blockedVerticals_field_is_rejected_not_treated_as_empty()
    {
        var error = Reject("""{"name": "n", "blockedVerticals": null, "domains": []}""");
        Assert.Equal(["blockedVerticals"], Fields(error));
    }

    [Fact]
    public void A_missing_domains_field_is_rejected_not_treated_as_empty()
    {
        var error = Reject("""{"name": "n", "blockedVerticals": []}""");
        Assert.Equal(["domains"], Fields(error));
        Assert.Contains("required", IssueFor(error, "domains"));
    }

    [Fact]
    public void A_null_domains_field_is_rejected_not_treated_as_empty()
    {
        var error = Reject("""{"name": "n", "blockedVerticals": [], "domains": null}""");
        Assert.Equal(["domains"], Fields(error));
    }

    [Fact]
    public void A_missing_name_is_rejected()
    {
        var error = Reject("""{"blockedVerticals": [], "domains": []}""");
        Assert.Equal(["name"], Fields(error));
        Assert.Contains("required", IssueFor(error, "name"));
    }

    [Fact]
    public void A_null_name_is_rejected()
    {
        var error = Reject(Body(name: "null"));
        Assert.Equal(["name"], Fields(error));
    }

    [Fact]
    public void Empty_arrays_are_the_cleared_state_not_an_error()
    {
        var request = MclPutParser.Parse(Body());
        Assert.Empty(request.State.BlockedVerticals);
        Assert.Empty(request.State.Domains);
        Assert.Empty(request.SourceIndexes);
    }

    [Fact]
    public void A_misspelt_blockedVerticals_field_is_rejected_as_unknown_and_does_not_clear_anything()
    {
        var error = Reject($$"""{"name": "n", "blockedVertical": [{{Block1610}}], "domains": []}""");
        Assert.Equal("unknown field", IssueFor(error, "blockedVertical"));
        Assert.Contains("blockedVerticals", Fields(error));
    }

    [Fact]
    public void An_unknown_top_level_field_is_rejected_even_when_everything_else_is_valid()
    {
        var error = Reject("""{"name": "n", "blockedVerticals": [], "domains": [], "dryRun": true}""");
        Assert.Equal(["dryRun"], Fields(error));
        Assert.Equal("unknown field", IssueFor(error, "dryRun"));
    }

    [Fact]
    public void Field_names_are_case_sensitive()
    {
        var error = Reject("""{"Name": "n", "blockedVerticals": [], "domains": []}""");
        Assert.Equal("unknown field", IssueFor(error, "Name"));
        Assert.Contains("name", Fields(error));
    }

    [Fact]
    public void The_name_is_stored_trimmed()
    {
        var request = MclPutParser.Parse(Body(name: "\"  Acme Network Controls \""));
        Assert.Equal("Acme Network Controls", request.State.Name);
    }

    [Fact]
    public void A_blank_name_is_rejected()
    {
        var error = Reject(Body(name: "\"   \""));
        Assert.Equal(["name"], Fields(error));
    }

    [Fact]
    public void A_name_of_200_characters_is_accepted()
    {
        var name = new string('n', 200);
        Assert.Equal(name, MclPutParser.Parse(Body(name: $"\"{name}\"")).State.Name);
    }

    [Fact]
    public void A_name_longer_than_200_characters_is_rejected()
    {
        var error = Reject(Body(name: $"\"{new string('n', 201)}\""));
        Assert.Equal(["name"], Fields(error));
    }

    [Fact]
    public void A_name_that_is_not_a_string_is_rejected()
    {
        var error = Reject(Body(name: "42"));
        Assert.Equal(["name"], Fields(error));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("\"1500/1610\"")]
    public void A_blockedVerticals_field_that_is_not_an_array_is_rejected(string value)
    {
        var error = Reject(Body(blockedVerticals: value));
        Assert.Equal(["blockedVerticals"], Fields(error));
    }

    [Fact]
    public void A_domains_field_that_is_not_an_array_is_rejected()
    {
        var error = Reject(Body(domains: "\"competitor.example.com\""));
        Assert.Equal(["domains"], Fields(error));
    }

    // --- contentHash ---

    [Fact]
    public void The_content_hash_is_optional()
    {
        Assert.Null(MclPutParser.Parse(Body()).ContentHash);
    }

    [Fact]
    public void A_null_content_hash_is_the_same_as_none()
    {
        var request = Parse("""{"name": "n", "blockedVerticals": [], "domains": [], "contentHash": null}""");
        Assert.Null(request.ContentHash);
    }

    [Fact]
    public void A_content_hash_string_is_passed_through_unchanged()
    {
        var request = Parse("""{"name": "n", "blockedVerticals": [], "domains": [], "contentHash": "v7-1a9e3f4c"}""");
        Assert.Equal("v7-1a9e3f4c", request.ContentHash);
    }

    [Fact]
    public void A_content_hash_that_is_not_a_string_is_rejected()
    {
        var error = Reject("""{"name": "n", "blockedVerticals": [], "domains": [], "contentHash": 7}""");
        Assert.Equal(["contentHash"], Fields(error));
    }

    // --- blocked vertical entries ---

    [Fact]
    public void A_blocked_vertical_that_is_not_an_object_is_rejected_by_its_index()
    {
        var error = Reject(Body(blockedVerticals: $"[{Block1610}, 1611]"));
        Assert.Equal(["blockedVerticals[1]"], Fields(error));
    }

    [Fact]
    public void An_unknown_field_inside_a_blocked_vertical_is_rejected_by_its_path()
    {
        var error = Reject(Body(blockedVerticals: """[{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block", "verticalId": 42}]"""));
        Assert.Equal(["blockedVerticals[0].verticalId"], Fields(error));
        Assert.Equal("unknown field", IssueFor(error, "blockedVerticals[0].verticalId"));
    }

    [Fact]
    public void A_missing_partnerVerticalId_is_rejected_by_its_path()
    {
        var error = Reject(Body(blockedVerticals: OneVertical("\"partnerSubVerticalId\": 1610")));
        Assert.Equal(["blockedVerticals[0].partnerVerticalId"], Fields(error));
    }

    [Fact]
    public void A_missing_partnerSubVerticalId_is_rejected_by_its_path()
    {
        var error = Reject(Body(blockedVerticals: OneVertical("\"partnerVerticalId\": 1500")));
        Assert.Equal(["blockedVerticals[0].partnerSubVerticalId"], Fields(error));
    }

    [Theory]
    [InlineData("\"1610\"")]
    [InlineData("1610.5")]
    [InlineData("1610.0")]
    [InlineData("1.61e3")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("99999999999999999999")]
    public void A_sub_vertical_id_that_is_not_a_JSON_integer_fitting_in_64_bits_is_rejected(string value)
    {
        var error = Reject(Body(blockedVerticals: OneVertical($"\"partnerVerticalId\": 1500, \"partnerSubVerticalId\": {value}")));
        Assert.Equal(["blockedVerticals[0].partnerSubVerticalId"], Fields(error));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1500")]
    public void A_vertical_id_that_is_not_positive_is_rejected(string value)
    {
        var error = Reject(Body(blockedVerticals: OneVertical($"\"partnerVerticalId\": {value}, \"partnerSubVerticalId\": 1610")));
        Assert.Equal(["blockedVerticals[0].partnerVerticalId"], Fields(error));
    }

    [Fact]
    public void The_largest_64_bit_id_is_accepted()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: OneVertical($"\"partnerVerticalId\": {long.MaxValue}, \"partnerSubVerticalId\": 1")));
        Assert.Equal(long.MaxValue, Assert.Single(request.State.BlockedVerticals).PartnerVerticalId);
    }

    [Fact]
    public void A_missing_policy_is_rejected_by_its_path()
    {
        var error = Reject(Body(blockedVerticals: """[{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610}]"""));
        Assert.Equal(["blockedVerticals[0].policy"], Fields(error));
    }

    [Theory]
    [InlineData("\"block\"")]
    [InlineData("\"BLOCK\"")]
    [InlineData("\"Deny\"")]
    [InlineData("0")]
    public void A_policy_other_than_exactly_Block_or_Allow_is_rejected(string value)
    {
        var error = Reject(Body(blockedVerticals: OneVertical("\"partnerVerticalId\": 1500, \"partnerSubVerticalId\": 1610", $"\"policy\": {value}")));
        Assert.Equal(["blockedVerticals[0].policy"], Fields(error));
    }

    [Fact]
    public void A_position1Policy_other_than_exactly_Block_or_Allow_is_rejected()
    {
        var error = Reject(Body(blockedVerticals: OneVertical("\"partnerVerticalId\": 1500, \"partnerSubVerticalId\": 1610",
            "\"policy\": \"Allow\", \"position1Policy\": \"allow\"")));
        Assert.Equal(["blockedVerticals[0].position1Policy"], Fields(error));
    }

    [Theory]
    [InlineData("Block", Policy.Block)]
    [InlineData("Allow", Policy.Allow)]
    public void An_omitted_position1Policy_defaults_to_the_policy(string policy, Policy expected)
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: OneVertical("\"partnerVerticalId\": 1500, \"partnerSubVerticalId\": 1610", $"\"policy\": \"{policy}\"")));
        Assert.Equal(expected, Assert.Single(request.State.BlockedVerticals).Position1Policy);
    }

    [Fact]
    public void Allowing_a_vertical_but_blocking_it_in_position_1_is_accepted()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: OneVertical("\"partnerVerticalId\": 1500, \"partnerSubVerticalId\": 1610",
            "\"policy\": \"Allow\", \"position1Policy\": \"Block\"")));
        Assert.Equal(Entry(1500, 1610, Policy.Allow, Policy.Block), Assert.Single(request.State.BlockedVerticals));
    }

    [Fact]
    public void Blocking_a_vertical_but_allowing_it_in_position_1_is_rejected_as_a_contradiction()
    {
        var error = Reject(Body(blockedVerticals: $$"""[{{Block1610}}, {"partnerVerticalId": 1500, "partnerSubVerticalId": 1611, "policy": "Block", "position1Policy": "Allow"}]"""));
        Assert.Equal(["blockedVerticals[1].position1Policy"], Fields(error));
    }

    [Fact]
    public void Blocked_verticals_are_stored_sorted_by_vertical_then_sub_vertical()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: """
            [{"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1612, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Allow"}]
            """));
        Assert.Equal([Entry(1500, 1610, Policy.Allow), Entry(1500, 1612, Policy.Block), Entry(1502, 1620, Policy.Block)], request.State.BlockedVerticals);
    }

    [Fact]
    public void Source_indexes_give_each_stored_entry_its_index_in_the_request_as_sent()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: """
            [{"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1612, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Allow"}]
            """));
        Assert.Equal([2, 1, 0], request.SourceIndexes);
    }

    [Fact]
    public void Exact_duplicate_blocked_verticals_collapse_into_one()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: $"[{Block1610}, {Block1610}]"));
        Assert.Equal([Entry(1500, 1610, Policy.Block)], request.State.BlockedVerticals);
    }

    [Fact]
    public void A_duplicate_that_only_spells_out_the_default_position1Policy_collapses_too()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: $$"""
            [{{Block1610}}, {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block", "position1Policy": "Block"}]
            """));
        Assert.Single(request.State.BlockedVerticals);
    }

    [Fact]
    public void A_collapsed_duplicate_keeps_the_index_of_its_first_occurrence()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: $$"""
            [{"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Block"}, {{Block1610}}, {{Block1610}}]
            """));
        Assert.Equal([1, 0], request.SourceIndexes);
    }

    [Fact]
    public void The_same_pair_with_different_policies_is_rejected_on_the_later_entry()
    {
        var error = Reject(Body(blockedVerticals: $$"""
            [{{Block1610}}, {"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Block"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Allow"}]
            """));
        Assert.Equal(["blockedVerticals[2]"], Fields(error));
        Assert.Contains("1610", IssueFor(error, "blockedVerticals[2]"));
    }

    [Fact]
    public void The_same_pair_with_different_position_1_policies_is_rejected_on_the_later_entry()
    {
        var error = Reject(Body(blockedVerticals: """
            [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Allow"},
             {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Allow", "position1Policy": "Block"}]
            """));
        Assert.Equal(["blockedVerticals[1]"], Fields(error));
    }

    [Fact]
    public void The_same_sub_vertical_under_two_verticals_is_two_different_pairs()
    {
        var request = MclPutParser.Parse(Body(blockedVerticals: """
            [{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"},
             {"partnerVerticalId": 1501, "partnerSubVerticalId": 1610, "policy": "Allow"}]
            """));
        Assert.Equal(2, request.State.BlockedVerticals.Count);
    }

    // --- domains ---

    [Fact]
    public void Domains_are_stored_normalised()
    {
        var request = MclPutParser.Parse(Body(domains: """[{"domain": " https://Bücher.Example/path?q=1 ", "policy": "Block"}]"""));
        Assert.Equal([new DomainRule("xn--bcher-kva.example", Policy.Block)], request.State.Domains);
    }

    [Fact]
    public void Domains_are_stored_in_ordinal_order()
    {
        var request = MclPutParser.Parse(Body(domains: """
            [{"domain": "zeta.example", "policy": "Block"}, {"domain": "alpha.example", "policy": "Allow"}, {"domain": "Beta.example", "policy": "Block"}]
            """));
        Assert.Equal(["alpha.example", "beta.example", "zeta.example"], request.State.Domains.Select(d => d.Domain));
    }

    [Fact]
    public void Domains_that_are_the_same_after_normalisation_collapse_into_one()
    {
        var request = MclPutParser.Parse(Body(domains: """
            [{"domain": "competitor.example.com", "policy": "Block"}, {"domain": "HTTPS://Competitor.Example.com./deals", "policy": "Block"}]
            """));
        Assert.Equal([new DomainRule("competitor.example.com", Policy.Block)], request.State.Domains);
    }

    [Fact]
    public void The_same_domain_with_two_policies_is_rejected_on_the_later_entry()
    {
        var error = Reject(Body(domains: """
            [{"domain": "competitor.example.com", "policy": "Block"}, {"domain": "other.example", "policy": "Block"},
             {"domain": "Competitor.example.com", "policy": "Allow"}]
            """));
        Assert.Equal(["domains[2]"], Fields(error));
        Assert.Contains("competitor.example.com", IssueFor(error, "domains[2]"));
    }

    [Fact]
    public void A_domain_that_is_not_a_host_name_is_rejected_by_its_path()
    {
        var error = Reject(Body(domains: """[{"domain": "ok.example", "policy": "Block"}, {"domain": "not a host", "policy": "Block"}]"""));
        Assert.Equal(["domains[1].domain"], Fields(error));
        Assert.Contains("not a host", IssueFor(error, "domains[1].domain"));
    }

    [Fact]
    public void A_missing_domain_is_rejected_by_its_path()
    {
        var error = Reject(Body(domains: """[{"policy": "Block"}]"""));
        Assert.Equal(["domains[0].domain"], Fields(error));
    }

    [Fact]
    public void A_domain_that_is_not_a_string_is_rejected_by_its_path()
    {
        var error = Reject(Body(domains: """[{"domain": ["a.example"], "policy": "Block"}]"""));
        Assert.Equal(["domains[0].domain"], Fields(error));
    }

    [Fact]
    public void A_domain_entry_needs_a_policy()
    {
        var error = Reject(Body(domains: """[{"domain": "competitor.example.com"}]"""));
        Assert.Equal(["domains[0].policy"], Fields(error));
    }

    [Fact]
    public void A_domain_policy_is_case_sensitive()
    {
        var error = Reject(Body(domains: """[{"domain": "competitor.example.com", "policy": "allow"}]"""));
        Assert.Equal(["domains[0].policy"], Fields(error));
    }

    [Fact]
    public void An_unknown_field_inside_a_domain_entry_is_rejected_by_its_path()
    {
        var error = Reject(Body(domains: """[{"domain": "competitor.example.com", "policy": "Block", "position1Policy": "Block"}]"""));
        Assert.Equal(["domains[0].position1Policy"], Fields(error));
        Assert.Equal("unknown field", IssueFor(error, "domains[0].position1Policy"));
    }

    [Fact]
    public void A_domain_entry_that_is_not_an_object_is_rejected_by_its_index()
    {
        var error = Reject(Body(domains: """["competitor.example.com"]"""));
        Assert.Equal(["domains[0]"], Fields(error));
    }

    // --- all at once ---

    [Fact]
    public void Every_issue_in_the_request_is_reported_at_once()
    {
        var error = Reject("""
            { "name": "", "blockedVertical": [],
              "blockedVerticals": [
                {"partnerVerticalId": "1500", "partnerSubVerticalId": 1610, "policy": "Block"},
                {"partnerVerticalId": 1500, "partnerSubVerticalId": 0, "policy": "block"},
                {"partnerVerticalId": 1500, "partnerSubVerticalId": 1611, "policy": "Block", "position1Policy": "Allow", "extra": 1}],
              "domains": [{"domain": "localhost", "policy": "Block"}, {"policy": "Deny"}],
              "contentHash": false }
            """);
        Assert.Equal(
            [
                "blockedVertical",
                "blockedVerticals[0].partnerVerticalId",
                "blockedVerticals[1].partnerSubVerticalId",
                "blockedVerticals[1].policy",
                "blockedVerticals[2].extra",
                "blockedVerticals[2].position1Policy",
                "contentHash",
                "domains[0].domain",
                "domains[1].domain",
                "domains[1].policy",
                "name",
            ],
            Fields(error).Order(StringComparer.Ordinal));
    }
}
