namespace Partnerships.Core.Controls;

/// <summary>A partner pair (vertical, sub-vertical).</summary>
public readonly record struct PartnerPair(long VerticalId, long SubVerticalId) : IComparable<PartnerPair>
{
    public int CompareTo(PartnerPair other) => VerticalId != other.VerticalId ? VerticalId.CompareTo(other.VerticalId) : SubVerticalId.CompareTo(other.SubVerticalId);

    public override string ToString() => $"{{{VerticalId}, {SubVerticalId}}}";
}

/// <summary>A stored entry's two policies; null where the pair is not listed.</summary>
public sealed record PairPolicies(Policy Policy, Policy Position1Policy)
{
    public static PairPolicies Of(BlockedVertical entry) => new(entry.Policy, entry.Position1Policy);
    public static PairPolicies Of(EffectiveVertical entry) => new(entry.Policy, entry.Position1Policy);
    public override string ToString() => Policy == Position1Policy ? Policy.ToString() : $"{Policy} (position 1: {Position1Policy})";
}

/// <summary>One listed pair whose stored entry differs: <see cref="Before"/> or <see cref="After"/> is null where the pair is not listed.</summary>
public sealed record PairChange(PartnerPair Pair, PairPolicies? Before, PairPolicies? After)
{
    /// <summary>Listed as Block now and was not before.</summary>
    public bool Blocks => After?.Policy == Policy.Block && Before?.Policy != Policy.Block;

    /// <summary>Was listed as Block and no longer is.</summary>
    public bool Unblocks => Before?.Policy == Policy.Block && After?.Policy != Policy.Block;
}

/// <summary>One mapping row whose effective policy changes (<c>translated_verticals</c>); null where the row is absent on that side.</summary>
public sealed record EffectiveChange(PartnerPair Pair, PairPolicies? Before, PairPolicies? After);

/// <summary>One domain whose rule changes; null where the domain is not listed on that side.</summary>
public sealed record DomainChange(string Domain, Policy? Before, Policy? After);

/// <summary>
/// The difference between two states of one account's controls — the current one and the dry-run of an edit, or the
/// state an edit started from and the state found after a 409 — as a person reviewing it before Save reads it.
/// </summary>
public sealed record ControlsDiff(
    string NameBefore,
    string NameAfter,
    IReadOnlyList<PairChange> Pairs,
    IReadOnlyList<EffectiveChange> Effective,
    IReadOnlyList<DomainChange> Domains,
    string ContentHashBefore,
    string ContentHashAfter)
{
    public bool NameChanged => NameBefore != NameAfter;

    /// <summary>Pairs listed as Block that were not.</summary>
    public IEnumerable<PairChange> Blocked => Pairs.Where(p => p.Blocks);

    /// <summary>Pairs listed as Block before that are not any more (removed, or set to Allow).</summary>
    public IEnumerable<PairChange> Unblocked => Pairs.Where(p => p.Unblocks);

    /// <summary>Any other change of a listed pair: an explicit Allow added or dropped, a position-1 policy changed.</summary>
    public IEnumerable<PairChange> OtherPairChanges => Pairs.Where(p => !p.Blocks && !p.Unblocks);

    /// <summary>The stored state is the same on both sides (the hash then stays too).</summary>
    public bool IsEmpty => !NameChanged && Pairs.Count == 0 && Domains.Count == 0;

    public static ControlsDiff Between(ControlsSnapshot before, ControlsSnapshot after)
    {
        return new ControlsDiff(before.State.Name, after.State.Name, PairChanges(before.State, after.State), EffectiveChanges(before.Effective, after.Effective),
            DomainChanges(before.State, after.State), before.ContentHash, after.ContentHash);
    }

    /// <summary>The stored states alone (no effective policies): what a Save changed, or what changed before a 409.</summary>
    public static ControlsDiff Between(MclState before, string hashBefore, MclState after, string hashAfter) =>
        new(before.Name, after.Name, PairChanges(before, after), [], DomainChanges(before, after), hashBefore, hashAfter);

    private static List<PairChange> PairChanges(MclState before, MclState after)
    {
        var was = ByPair(before.BlockedVerticals);
        var now = ByPair(after.BlockedVerticals);
        return was.Keys.Union(now.Keys).Order()
            .Select(p => new PairChange(p, was.GetValueOrDefault(p), now.GetValueOrDefault(p)))
            .Where(c => c.Before != c.After).ToList();
    }

    private static List<EffectiveChange> EffectiveChanges(IReadOnlyList<EffectiveVertical> before, IReadOnlyList<EffectiveVertical> after)
    {
        var was = new Dictionary<PartnerPair, PairPolicies>();
        foreach (var e in before) was.TryAdd(new PartnerPair(e.PartnerVerticalId, e.VerticalId), PairPolicies.Of(e));
        var now = new Dictionary<PartnerPair, PairPolicies>();
        foreach (var e in after) now.TryAdd(new PartnerPair(e.PartnerVerticalId, e.VerticalId), PairPolicies.Of(e));
        return was.Keys.Union(now.Keys).Order()
            .Select(p => new EffectiveChange(p, was.GetValueOrDefault(p), now.GetValueOrDefault(p)))
            .Where(c => c.Before != c.After).ToList();
    }

    private static List<DomainChange> DomainChanges(MclState before, MclState after)
    {
        var was = new Dictionary<string, Policy>(StringComparer.Ordinal);
        foreach (var d in before.Domains) was.TryAdd(d.Domain, d.Policy);
        var now = new Dictionary<string, Policy>(StringComparer.Ordinal);
        foreach (var d in after.Domains) now.TryAdd(d.Domain, d.Policy);
        return was.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Select(d => new DomainChange(d, was.TryGetValue(d, out var b) ? b : null, now.TryGetValue(d, out var a) ? a : null))
            .Where(c => c.Before != c.After).ToList();
    }

    internal static Dictionary<PartnerPair, PairPolicies> ByPair(IEnumerable<BlockedVertical> entries)
    {
        var result = new Dictionary<PartnerPair, PairPolicies>();
        foreach (var e in entries) result.TryAdd(new PartnerPair(e.PartnerVerticalId, e.PartnerSubVerticalId), PairPolicies.Of(e));
        return result;
    }
}
