using Partnerships.Core.Errors;

namespace Partnerships.Core.Controls;

/// <summary>Forward translation through the platform's mapping table: atomic, every unmapped pair named.</summary>
public static class MclTranslator
{
    public const string UnmappedMessage = "No partnership vertical mapping exists for MCL translation";

    /// <summary>
    /// Translates every stored pair to its network sub-vertical. Any unmapped pair rejects the whole request (400,
    /// <see cref="UnmappedMessage"/>) with one detail per unmapped pair, named by its index in the request as sent.
    /// </summary>
    public static IReadOnlyList<TranslatedBlock> Translate(MclPutRequest request, IReadOnlyList<MappingRow> mappings) =>
        Translate(request, new MappingTable(mappings));

    public static IReadOnlyList<TranslatedBlock> Translate(MclPutRequest request, MappingTable mappings)
    {
        var table = mappings.ByPair;
        var result = new List<TranslatedBlock>(request.State.BlockedVerticals.Count);
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
                var index = i < request.SourceIndexes.Count ? request.SourceIndexes[i] : i;
                unmapped.Add((index, new FieldIssue($"blockedVerticals[{index}]",
                    $"no mapping for partnerVerticalId {entry.PartnerVerticalId} / partnerSubVerticalId {entry.PartnerSubVerticalId}")));
            }
        }
        if (unmapped.Count > 0)
        {
            throw ApiError.BadRequestAsWhole(UnmappedMessage, unmapped.OrderBy(u => u.Index).Select(u => u.Issue).ToList());
        }
        return result;
    }
}
