using Partnerships.Core.Controls;
using static Partnerships.Tests.Domain.Controls.ControlsTestData;

namespace Partnerships.Tests.Domain.Controls;

public sealed class ControlsDiffTests
{
    private static ControlsSnapshot Snapshot(MclState state, string hash) => new(state, MclViews.Effective(state, SeedMappings), hash);

    private static MclState State(IReadOnlyList<BlockedVertical> pairs, params DomainRule[] domains) => new("Acme Network Controls", pairs, domains);

    [Fact]
    public void Blocking_beer_names_the_pair_and_every_mapping_row_whose_effective_policy_changes()
    {
        var before = Snapshot(State([]), "v1-aaaaaaaa");
        var after = Snapshot(State([Entry(1500, 1610, Policy.Block)]), "v2-bbbbbbbb");

        var diff = ControlsDiff.Between(before, after);

        Assert.Equal([new PartnerPair(1500, 1610)], diff.Blocked.Select(p => p.Pair));
        Assert.Empty(diff.Unblocked);
        // Craft Beer maps to the same network sub-vertical as Beer, so it turns Block too; Wine and Cigars stay Allow.
        Assert.Equal([new PartnerPair(1500, 1610), new PartnerPair(1500, 1612)], diff.Effective.Select(e => e.Pair));
        Assert.All(diff.Effective, e => Assert.Equal((Policy.Allow, Policy.Block), (e.Before!.Policy, e.After!.Policy)));
        Assert.Equal(("v1-aaaaaaaa", "v2-bbbbbbbb"), (diff.ContentHashBefore, diff.ContentHashAfter));
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void Removing_a_block_or_turning_it_to_allow_is_an_unblock()
    {
        var before = Snapshot(State([Entry(1500, 1610, Policy.Block), Entry(1502, 1620, Policy.Block)]), "v3-00000000");
        var after = Snapshot(State([Entry(1502, 1620, Policy.Allow)]), "v4-00000000");

        var diff = ControlsDiff.Between(before, after);

        Assert.Equal([new PartnerPair(1500, 1610), new PartnerPair(1502, 1620)], diff.Unblocked.Select(p => p.Pair));
        Assert.Null(diff.Unblocked.First().After);
        Assert.Equal(new PairPolicies(Policy.Allow, Policy.Allow), diff.Unblocked.Last().After);
        Assert.Empty(diff.Blocked);
    }

    [Fact]
    public void A_position_one_change_is_neither_a_block_nor_an_unblock()
    {
        var before = Snapshot(State([Entry(1500, 1611, Policy.Allow)]), "v1-00000000");
        var after = Snapshot(State([Entry(1500, 1611, Policy.Allow, Policy.Block)]), "v2-00000000");

        var diff = ControlsDiff.Between(before, after);

        Assert.Equal([new PartnerPair(1500, 1611)], diff.OtherPairChanges.Select(p => p.Pair));
        Assert.Equal("Allow (position 1: Block)", diff.OtherPairChanges.Single().After!.ToString());
    }

    [Fact]
    public void Domains_and_the_name_are_compared_too()
    {
        var before = Snapshot(State([], new DomainRule("a.example.com", Policy.Block), new DomainRule("b.example.com", Policy.Block)), "v1-00000000");
        var after = Snapshot(State([], new DomainRule("b.example.com", Policy.Allow), new DomainRule("c.example.com", Policy.Block)) with { Name = "Renamed" }, "v2-00000000");

        var diff = ControlsDiff.Between(before, after);

        Assert.Equal(
            [new DomainChange("a.example.com", Policy.Block, null), new DomainChange("b.example.com", Policy.Block, Policy.Allow), new DomainChange("c.example.com", null, Policy.Block)],
            diff.Domains);
        Assert.True(diff.NameChanged);
        Assert.Equal(("Acme Network Controls", "Renamed"), (diff.NameBefore, diff.NameAfter));
    }

    [Fact]
    public void The_same_state_is_an_empty_diff_that_keeps_the_hash()
    {
        var state = Snapshot(State([Entry(1500, 1610, Policy.Block)]), "v2-12345678");
        var diff = ControlsDiff.Between(state, state);
        Assert.True(diff.IsEmpty);
        Assert.Empty(diff.Effective);
        Assert.Equal(diff.ContentHashBefore, diff.ContentHashAfter);
    }
}
