using Partnerships.Application.ReferenceData;
using Partnerships.Storage;

namespace Partnerships.Application.Features.VerticalMappings;

/// <summary>GET /v1/partnership/vertical-mappings: the pairs a registration or a controls PUT may use.</summary>
public static class ListVerticalMappings
{
    public static async Task<IReadOnlyList<PartnerMappingView>> HandleAsync(Database db, MappingTableCache mappings, string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await mappings.GetCurrentAsync(s, platformId)).Rows
            .Select(m => new PartnerMappingView(m.PartnerVerticalId, m.PartnerSubVerticalId, m.PartnerVerticalName, m.PartnerSubVerticalName)).ToList();
    }
}
