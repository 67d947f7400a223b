using System.Text.Json;
using Partnerships.Core.Controls;
using static Partnerships.Tests.Domain.Controls.ControlsTestData;
using Partnerships.Application.Features.Controls;

namespace Partnerships.Tests.Domain.Controls;

public sealed class ContentHashTests
{
    private static readonly MclState State = new("Acme Network Controls",
        [Entry(1500, 1610, Policy.Block), Entry(1500, 1611, Policy.Allow, Policy.Block)],
        [new DomainRule("a.example", Policy.Allow), new DomainRule("competitor.example.com", Policy.Block)]);

    private static string Hex(string hash) => hash[(hash.IndexOf('-') + 1)..];

    [Fact]
    public void The_hash_is_the_revision_and_eight_lowercase_hex_digits()
    {
        Assert.Matches("^v7-[0-9a-f]{8}$", ContentHash.Compute(7, State));
    }

    [Fact]
    public void The_empty_state_at_revision_0_has_a_well_formed_hash()
    {
        Assert.Matches("^v0-[0-9a-f]{8}$", ContentHash.Compute(0, MclState.Empty));
    }

    [Fact]
    public void The_hex_is_the_start_of_the_SHA_256_of_the_canonical_json()
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ContentHash.CanonicalJson(State))));
        Assert.Equal($"v3-{sha[..8]}", ContentHash.Compute(3, State));
    }

    [Fact]
    public void Identical_content_gives_identical_hex_at_any_revision()
    {
        Assert.Equal(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(12, State with { })));
    }

    [Fact]
    public void Equal_states_built_separately_give_the_same_hash()
    {
        var copy = new MclState("Acme Network Controls",
            [Entry(1500, 1610, Policy.Block), Entry(1500, 1611, Policy.Allow, Policy.Block)],
            [new DomainRule("a.example", Policy.Allow), new DomainRule("competitor.example.com", Policy.Block)]);
        Assert.Equal(ContentHash.Compute(2, State), ContentHash.Compute(2, copy));
    }

    [Fact]
    public void Reordering_the_request_does_not_change_the_hash()
    {
        var a = MclPutParser.Parse(Body(
            blockedVerticals: """[{"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block"}, {"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Allow"}]""",
            domains: """[{"domain": "b.example", "policy": "Block"}, {"domain": "a.example", "policy": "Allow"}]""")).State;
        var b = MclPutParser.Parse(Body(
            blockedVerticals: """[{"partnerVerticalId": 1502, "partnerSubVerticalId": 1620, "policy": "Allow"}, {"partnerVerticalId": 1500, "partnerSubVerticalId": 1610, "policy": "Block", "position1Policy": "Block"}]""",
            domains: """[{"domain": "A.example.", "policy": "Allow"}, {"domain": "https://b.example/", "policy": "Block"}]""")).State;
        Assert.Equal(ContentHash.Compute(5, a), ContentHash.Compute(5, b));
    }

    [Fact]
    public void A_state_not_yet_in_canonical_order_hashes_as_its_canonical_form()
    {
        var shuffled = State with { BlockedVerticals = State.BlockedVerticals.Reverse().ToList(), Domains = State.Domains.Reverse().ToList() };
        Assert.Equal(ContentHash.CanonicalJson(State), ContentHash.CanonicalJson(shuffled));
    }

    [Fact]
    public void Renaming_the_list_changes_the_hash()
    {
        Assert.NotEqual(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(1, State with { Name = "Acme Controls" })));
    }

    [Fact]
    public void Changing_a_policy_changes_the_hash()
    {
        var changed = State with { BlockedVerticals = [Entry(1500, 1610, Policy.Allow), State.BlockedVerticals[1]] };
        Assert.NotEqual(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(1, changed)));
    }

    [Fact]
    public void Changing_only_a_position_1_policy_changes_the_hash()
    {
        var changed = State with { BlockedVerticals = [State.BlockedVerticals[0], Entry(1500, 1611, Policy.Allow, Policy.Allow)] };
        Assert.NotEqual(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(1, changed)));
    }

    [Fact]
    public void Moving_a_block_to_another_vertical_changes_the_hash()
    {
        var changed = State with { BlockedVerticals = [Entry(1501, 1610, Policy.Block), State.BlockedVerticals[1]] };
        Assert.NotEqual(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(1, changed)));
    }

    [Fact]
    public void Changing_a_domain_policy_changes_the_hash()
    {
        var changed = State with { Domains = [new DomainRule("a.example", Policy.Block), State.Domains[1]] };
        Assert.NotEqual(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(1, changed)));
    }

    [Fact]
    public void Clearing_the_domains_changes_the_hash()
    {
        Assert.NotEqual(Hex(ContentHash.Compute(1, State)), Hex(ContentHash.Compute(1, State with { Domains = [] })));
    }

    [Fact]
    public void The_canonical_json_is_compact_valid_json()
    {
        var json = ContentHash.CanonicalJson(State);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        Assert.Equal(JsonSerializer.Serialize(document.RootElement), json); // re-written without any whitespace: unchanged
    }

    [Fact]
    public void The_canonical_json_carries_every_stored_value()
    {
        var json = ContentHash.CanonicalJson(State);
        foreach (var expected in new[] { "Acme Network Controls", "1500", "1610", "1611", "Block", "Allow", "a.example", "competitor.example.com" })
        {
            Assert.Contains(expected, json);
        }
    }

    [Fact]
    public void The_empty_state_has_no_name_and_nothing_blocked()
    {
        Assert.Equal("", MclState.Empty.Name);
        Assert.Empty(MclState.Empty.BlockedVerticals);
        Assert.Empty(MclState.Empty.Domains);
    }
}
