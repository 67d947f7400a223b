using System.Collections.Frozen;

namespace Partnerships.Core.Controls;

/// <summary>
/// A platform's mapping table in the forms the translator and the views read: the rows keyed by partner pair (should a
/// pair appear twice, the first row wins) and those rows in (partner vertical, sub-vertical) order. Immutable, so one
/// instance built per version of the table serves every request.
/// </summary>
public sealed class MappingTable
{
    public MappingTable(IReadOnlyList<MappingRow> rows)
    {
        var byPair = new Dictionary<(long, long), MappingRow>(rows.Count);
        foreach (var row in rows) byPair.TryAdd((row.PartnerVerticalId, row.PartnerSubVerticalId), row);
        ByPair = byPair.ToFrozenDictionary();
        Ordered = byPair.Values.OrderBy(m => m.PartnerVerticalId).ThenBy(m => m.PartnerSubVerticalId).ToArray();
        RowCount = rows.Count;
    }

    public FrozenDictionary<(long, long), MappingRow> ByPair { get; }

    /// <summary>One row per pair, sorted by partner vertical then sub-vertical.</summary>
    public IReadOnlyList<MappingRow> Ordered { get; }

    /// <summary>The rows as stored; a controls list cannot name more pairs than this.</summary>
    public int RowCount { get; }
}
