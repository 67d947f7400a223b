using Partnerships.Core.Controls;
using static Partnerships.Tests.Domain.Controls.ControlsTestData;

namespace Partnerships.Tests.Domain.Controls;

public sealed class ControlsEditTests
{
    private static MclState State(IReadOnlyList<BlockedVertical> pairs, params DomainRule[] domains) => new("Acme Network Controls", pairs, domains);

    [Fact]
    public void An_edit_names_only_what_changed_and_rebuilds_the_target_state()
    {
        var from = State([Entry(1500, 1610, Policy.Block)], new DomainRule("a.example.com", Policy.Block));
        var to = State([Entry(1500, 1610, Policy.Block), Entry(1502, 1620, Policy.Block)], new DomainRule("b.example.com", Policy.Block));

        var edit = ControlsEdit.Between(from, to);

        Assert.Null(edit.Name);
        Assert.Equal([new PairEdit(1502, 1620, Policy.Block, Policy.Block)], edit.Pairs);
        Assert.Equal([new DomainEdit("a.example.com", null), new DomainEdit("b.example.com", Policy.Block)], edit.Domains);
        Assert.Equal(to, edit.ApplyTo(from), StateComparer);
    }

    [Fact]
    public void Re_applied_on_a_fresh_state_it_keeps_what_someone_else_changed_meanwhile()
    {
        var from = State([Entry(1500, 1610, Policy.Block)]);
        var mine = ControlsEdit.Between(from, State([Entry(1500, 1610, Policy.Block), Entry(1502, 1620, Policy.Block)]));
        var theirs = State([Entry(1500, 1610, Policy.Block), Entry(1500, 1611, Policy.Block)], new DomainRule("x.example.com", Policy.Block));

        var next = mine.ApplyTo(theirs);

        Assert.Equal([Entry(1500, 1610, Policy.Block), Entry(1500, 1611, Policy.Block), Entry(1502, 1620, Policy.Block)], next.BlockedVerticals);
        Assert.Equal([new DomainRule("x.example.com", Policy.Block)], next.Domains);
    }

    [Fact]
    public void Taking_a_pair_off_the_list_survives_a_re_apply_and_overlaps_name_what_both_touched()
    {
        var from = State([Entry(1500, 1610, Policy.Block)]);
        var mine = ControlsEdit.Between(from, State([]));
        var theirs = State([Entry(1500, 1610, Policy.Allow)]);
        var meantime = ControlsDiff.Between(new ControlsSnapshot(from, [], "v1-0"), new ControlsSnapshot(theirs, [], "v2-0"));

        Assert.Empty(mine.ApplyTo(theirs).BlockedVerticals);
        Assert.Equal(["the pair {1500, 1610} (now Allow)"], mine.Overlaps(meantime));
    }

    [Fact]
    public void The_text_form_reads_back_and_anything_else_is_no_edit()
    {
        var edit = new ControlsEdit("Renamed", [new PairEdit(1500, 1611, Policy.Allow, Policy.Block), new PairEdit(1500, 1610, null, null)],
            [new DomainEdit("b.example.com", Policy.Allow)]);

        var back = ControlsEdit.Parse(edit.ToText());

        Assert.Equal(edit.Name, back.Name);
        Assert.Equal(edit.Pairs, back.Pairs);
        Assert.Equal(edit.Domains, back.Domains);
        Assert.True(ControlsEdit.Parse("").IsEmpty);
        Assert.True(ControlsEdit.Parse("{not json").IsEmpty);
        Assert.True(ControlsEdit.Parse("null").IsEmpty);
    }

    private static readonly IEqualityComparer<MclState> StateComparer = EqualityComparer<MclState>.Create(
        (a, b) => a!.Name == b!.Name && a.BlockedVerticals.SequenceEqual(b.BlockedVerticals) && a.Domains.SequenceEqual(b.Domains), s => s.Name.GetHashCode());
}
