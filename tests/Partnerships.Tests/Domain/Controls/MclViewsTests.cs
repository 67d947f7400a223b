using System.Text.Json;
using Partnerships.Core.Controls;
using static Partnerships.Tests.Domain.Controls.ControlsTestData;

namespace Partnerships.Tests.Domain.Controls;

public sealed class MclViewsTests
{
    private static MclState Stored(params BlockedVertical[] entries) => new("Acme Network Controls", entries, []);

    private static Dictionary<long, EffectiveVertical> EffectiveBySub(MclState state) =>
        MclViews.Effective(state, SeedMappings).ToDictionary(e => e.VerticalId);

    // --- translatedVerticals (seed 001) ---

    [Fact]
    public void The_translated_view_has_one_entry_per_stored_entry_with_the_sub_vertical_as_vertical_id()
    {
        var state = Stored(Entry(1500, 1610, Policy.Block), Entry(1502, 1620, Policy.Allow, Policy.Block));
        Assert.Equal(
            [new TranslatedVertical(1500, 1610, 1610, Policy.Block, Policy.Block), new TranslatedVertical(1502, 1620, 1620, Policy.Allow, Policy.Block)],
            MclViews.Translated(state));
    }

    [Fact]
    public void The_translated_view_serialises_in_the_recipe_field_names()
    {
        var json = JsonSerializer.Serialize(new TranslatedVertical(1500, 1610, 1610, Policy.Block, Policy.Block));
        Assert.Equal("""{"partner_vertical_id":1500,"partner_sub_vertical_id":1610,"vertical_id":1610,"policy":"Block","position_1_policy":"Block"}""", json);
    }

    [Fact]
    public void The_recipe_can_rebuild_the_same_state_from_the_translated_view()
    {
        var state = Stored(Entry(1500, 1610, Policy.Block), Entry(1500, 1612, Policy.Block));
        var resent = MclViews.Translated(state).Select(v => Entry(v.PartnerVerticalId, v.PartnerSubVerticalId, v.Policy, v.Position1Policy));
        Assert.Equal(state.BlockedVerticals, resent);
    }

    // --- translated_verticals (seed 004) ---

    [Fact]
    public void The_effective_view_has_one_entry_per_mapping_row_sorted_by_vertical_then_sub_vertical()
    {
        IReadOnlyList<MappingRow> shuffled = [SeedMappings[3], SeedMappings[2], SeedMappings[0], SeedMappings[1]];
        var effective = MclViews.Effective(MclState.Empty, shuffled);
        Assert.Equal([(1500L, 1610L), (1500L, 1611L), (1500L, 1612L), (1502L, 1620L)], effective.Select(e => (e.PartnerVerticalId, e.VerticalId)));
    }

    [Fact]
    public void With_nothing_stored_every_mapped_pair_is_allowed()
    {
        Assert.All(MclViews.Effective(MclState.Empty, SeedMappings), e =>
        {
            Assert.Equal(Policy.Allow, e.Policy);
            Assert.Equal(Policy.Allow, e.Position1Policy);
        });
    }

    [Fact]
    public void A_stored_pair_shows_its_own_policies()
    {
        var effective = EffectiveBySub(Stored(Entry(1502, 1620, Policy.Allow, Policy.Block)));
        Assert.Equal(new EffectiveVertical(1620, 1502, Policy.Allow, Policy.Block), effective[1620]);
    }

    [Fact]
    public void Blocking_one_pair_blocks_an_unsent_sibling_on_the_same_network_sub_vertical()
    {
        var effective = EffectiveBySub(Stored(Entry(1500, 1610, Policy.Block)));
        Assert.Equal(new EffectiveVertical(1612, 1500, Policy.Block, Policy.Block), effective[1612]);
    }

    [Fact]
    public void Blocking_one_pair_leaves_pairs_on_other_network_sub_verticals_allowed()
    {
        var effective = EffectiveBySub(Stored(Entry(1500, 1610, Policy.Block)));
        Assert.Equal(new EffectiveVertical(1611, 1500, Policy.Allow, Policy.Allow), effective[1611]);
        Assert.Equal(new EffectiveVertical(1620, 1502, Policy.Allow, Policy.Allow), effective[1620]);
    }

    [Fact]
    public void The_many_to_one_seed_example_gives_the_expected_effective_list()
    {
        var effective = MclViews.Effective(Stored(Entry(1500, 1610, Policy.Block)), SeedMappings);
        Assert.Equal(
            [
                new EffectiveVertical(1610, 1500, Policy.Block, Policy.Block),
                new EffectiveVertical(1611, 1500, Policy.Allow, Policy.Allow),
                new EffectiveVertical(1612, 1500, Policy.Block, Policy.Block),
                new EffectiveVertical(1620, 1502, Policy.Allow, Policy.Allow),
            ],
            effective);
    }

    [Fact]
    public void A_pair_stored_as_Allow_keeps_Allow_even_when_a_sibling_is_blocked()
    {
        var effective = EffectiveBySub(Stored(Entry(1500, 1610, Policy.Block), Entry(1500, 1612, Policy.Allow)));
        Assert.Equal(Policy.Allow, effective[1612].Policy);
        Assert.Equal(Policy.Allow, effective[1612].Position1Policy);
    }

    [Fact]
    public void An_unsent_sibling_inherits_each_policy_field_separately()
    {
        var effective = EffectiveBySub(Stored(Entry(1500, 1610, Policy.Allow, Policy.Block)));
        Assert.Equal(new EffectiveVertical(1612, 1500, Policy.Allow, Policy.Block), effective[1612]);
    }

    [Fact]
    public void An_unsent_sibling_is_blocked_when_any_stored_sibling_blocks()
    {
        IReadOnlyList<MappingRow> mappings = [.. SeedMappings, new(1500, 1613, "Cider", Beer)];
        var effective = MclViews.Effective(Stored(Entry(1500, 1610, Policy.Allow), Entry(1500, 1612, Policy.Block)), mappings)
            .ToDictionary(e => e.VerticalId);
        Assert.Equal(Policy.Block, effective[1613].Policy);
    }

    [Fact]
    public void A_stored_pair_without_a_mapping_row_is_not_shown_and_blocks_nothing()
    {
        var effective = MclViews.Effective(Stored(Entry(1500, 9999, Policy.Block)), SeedMappings);
        Assert.Equal(4, effective.Count);
        Assert.DoesNotContain(effective, e => e.VerticalId == 9999);
        Assert.All(effective, e => Assert.Equal(Policy.Allow, e.Policy));
    }

    [Fact]
    public void The_effective_view_serialises_in_seed_004s_field_names()
    {
        var json = JsonSerializer.Serialize(new EffectiveVertical(1610, 1500, Policy.Block, Policy.Allow));
        Assert.Equal("""{"vertical_id":1610,"partner_vertical_id":1500,"policy":"Block","position_1_policy":"Allow"}""", json);
    }

    [Fact]
    public void No_network_id_appears_in_either_view()
    {
        var state = Stored(Entry(1500, 1610, Policy.Block), Entry(1502, 1620, Policy.Block));
        var json = JsonSerializer.Serialize(new { a = MclViews.Translated(state), b = MclViews.Effective(state, SeedMappings) });
        foreach (var network in new[] { Beer, Wine, Tobacco }) Assert.DoesNotContain(network.ToString(), json);
    }

    // --- the stored shapes ---

    [Fact]
    public void A_stored_entry_serialises_in_the_PUT_shape_with_policy_names()
    {
        var json = JsonSerializer.Serialize(Entry(1500, 1610, Policy.Block, Policy.Block));
        Assert.Equal("""{"partnerVerticalId":1500,"partnerSubVerticalId":1610,"policy":"Block","position1Policy":"Block"}""", json);
    }

    [Fact]
    public void A_domain_rule_serialises_as_domain_and_policy()
    {
        Assert.Equal("""{"domain":"competitor.example.com","policy":"Allow"}""", JsonSerializer.Serialize(new DomainRule("competitor.example.com", Policy.Allow)));
    }

    [Fact]
    public void A_stored_state_round_trips_through_json()
    {
        var state = new MclState("n", [Entry(1500, 1610, Policy.Allow, Policy.Block)], [new DomainRule("a.example", Policy.Block)]);
        var back = JsonSerializer.Deserialize<MclState>(JsonSerializer.Serialize(state))!;
        Assert.Equal(state.Name, back.Name);
        Assert.Equal(state.BlockedVerticals, back.BlockedVerticals);
        Assert.Equal(state.Domains, back.Domains);
    }
}
