using Partnerships.Core.Errors;

namespace Partnerships.Core.Controls;

/// <summary>Forward translation through the platform's mapping table: atomic, every unmapped pair named.</summary>
public static class MclTranslator
{
    public const string UnmappedMessage = "No partnership vertical mapping exists for MCL translation";

    public static IReadOnlyList<TranslatedBlock> Translate(MclPutRequest request, IReadOnlyList<MappingRow> mappings)
    {
        var table = mappings.ToDictionary(m => (m.PartnerVerticalId, m.PartnerSubVerticalId));
        var result = new List<TranslatedBlock>();
        var unmapped = new List<(int Index, FieldIssue Issue)>();
        for (var i = 0; i < request.State.BlockedVerticals.Count; i++)
        {
            var entry = request.State.BlockedVerticals[i];
            if (table.TryGetValue((entry.PartnerVerticalId, entry.PartnerSubVerticalId), out var row))
            {
                result.Add(new TranslatedBlock(entry, row.NetworkSubVerticalId));
            }
            else
            {
                var index = request.SourceIndexes.Count > i ? request.SourceIndexes[i] : i;
                unmapped.Add((index, new FieldIssue($"blockedVerticals[{index}]",
                    $"no mapping for partnerVerticalId {entry.PartnerVerticalId} / partnerSubVerticalId {entry.PartnerSubVerticalId}")));
            }
        }
        if (unmapped.Count > 0)
        {
            throw ApiError.BadRequest(UnmappedMessage, unmapped.OrderBy(u => u.Index).Select(u => u.Issue).ToList());
        }
        return result;
    }
}

public static class MclViews
{
    public static IReadOnlyList<TranslatedVertical> Translated(MclState state) => state.BlockedVerticals
        .Select(b => new TranslatedVertical(b.PartnerVerticalId, b.PartnerSubVerticalId, b.PartnerSubVerticalId, b.Policy, b.Position1Policy))
        .ToList();

    /// <summary>
    /// One entry per mapping row. A sent pair shows its own policy; a pair never sent inherits Block from any sent pair
    /// mapped to the same network sub-vertical (blocking is enforced on the network taxonomy), else Allow.
    /// </summary>
    public static IReadOnlyList<EffectiveVertical> Effective(MclState state, IReadOnlyList<MappingRow> mappings)
    {
        var sent = state.BlockedVerticals.ToDictionary(b => (b.PartnerVerticalId, b.PartnerSubVerticalId));
        var network = mappings.ToDictionary(m => (m.PartnerVerticalId, m.PartnerSubVerticalId), m => m.NetworkSubVerticalId);
        var blocked = new HashSet<long>();
        var blockedPosition1 = new HashSet<long>();
        foreach (var b in state.BlockedVerticals)
        {
            if (!network.TryGetValue((b.PartnerVerticalId, b.PartnerSubVerticalId), out var n)) continue;
            if (b.Policy == Policy.Block) blocked.Add(n);
            if (b.Position1Policy == Policy.Block) blockedPosition1.Add(n);
        }
        return mappings.OrderBy(m => m.PartnerVerticalId).ThenBy(m => m.PartnerSubVerticalId).Select(m =>
            sent.TryGetValue((m.PartnerVerticalId, m.PartnerSubVerticalId), out var own)
                ? new EffectiveVertical(m.PartnerSubVerticalId, m.PartnerVerticalId, own.Policy, own.Position1Policy)
                : new EffectiveVertical(m.PartnerSubVerticalId, m.PartnerVerticalId,
                    blocked.Contains(m.NetworkSubVerticalId) ? Policy.Block : Policy.Allow,
                    blockedPosition1.Contains(m.NetworkSubVerticalId) ? Policy.Block : Policy.Allow)).ToList();
    }
}
