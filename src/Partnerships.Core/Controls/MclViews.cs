namespace Partnerships.Core.Controls;

/// <summary>The partner-facing reads of a stored MCL. Neither view carries a network id.</summary>
public static class MclViews
{
    /// <summary>"translatedVerticals": one entry per stored entry, in seed 001's recipe field names (<c>vertical_id</c> = partner sub-vertical).</summary>
    public static IReadOnlyList<TranslatedVertical> Translated(MclState state) => state.BlockedVerticals
        .Select(b => new TranslatedVertical(b.PartnerVerticalId, b.PartnerSubVerticalId, b.PartnerSubVerticalId, b.Policy, b.Position1Policy))
        .ToList();

    /// <summary>
    /// "translated_verticals": one entry per mapping row of the platform, sorted by partner vertical then sub-vertical.
    /// A stored pair shows its own policies; a pair never sent takes, field by field, Block when any stored entry mapped
    /// to the same network sub-vertical has Block (blocking is enforced on the network taxonomy), else Allow.
    /// </summary>
    public static IReadOnlyList<EffectiveVertical> Effective(MclState state, IReadOnlyList<MappingRow> mappings) =>
        Effective(state, new MappingTable(mappings));

    public static IReadOnlyList<EffectiveVertical> Effective(MclState state, MappingTable mappings)
    {
        var table = mappings.ByPair;
        var stored = new Dictionary<(long, long), BlockedVertical>();
        var blocked = new HashSet<long>();
        var blockedPosition1 = new HashSet<long>();
        foreach (var b in state.BlockedVerticals)
        {
            stored.TryAdd((b.PartnerVerticalId, b.PartnerSubVerticalId), b);
            if (!table.TryGetValue((b.PartnerVerticalId, b.PartnerSubVerticalId), out var row)) continue;
            if (b.Policy == Policy.Block) blocked.Add(row.NetworkSubVerticalId);
            if (b.Position1Policy == Policy.Block) blockedPosition1.Add(row.NetworkSubVerticalId);
        }
        var result = new EffectiveVertical[mappings.Ordered.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var m = mappings.Ordered[i];
            result[i] = stored.TryGetValue((m.PartnerVerticalId, m.PartnerSubVerticalId), out var own)
                ? new EffectiveVertical(m.PartnerSubVerticalId, m.PartnerVerticalId, own.Policy, own.Position1Policy)
                : new EffectiveVertical(m.PartnerSubVerticalId, m.PartnerVerticalId,
                    blocked.Contains(m.NetworkSubVerticalId) ? Policy.Block : Policy.Allow,
                    blockedPosition1.Contains(m.NetworkSubVerticalId) ? Policy.Block : Policy.Allow);
        }
        return result;
    }
}
