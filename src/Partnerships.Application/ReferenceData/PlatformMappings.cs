using Partnerships.Core.Controls;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.ReferenceData;

/// <summary>A platform's mapping table at one version: the stored rows and the lookups built from them once.</summary>
public sealed class PlatformMappings
{
    public PlatformMappings(string platformId, long version, IReadOnlyList<MappingRowData> rows)
    {
        (PlatformId, Version, Rows) = (platformId, version, rows);
        Table = new MappingTable(rows.Select(r => new MappingRow(r.PartnerVerticalId, r.PartnerSubVerticalId, r.PartnerSubVerticalName, r.NetworkSubVerticalId)).ToList());
    }

    public string PlatformId { get; }
    public long Version { get; }
    public IReadOnlyList<MappingRowData> Rows { get; }
    public MappingTable Table { get; }
}
