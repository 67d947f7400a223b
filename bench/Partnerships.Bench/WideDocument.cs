using System.Text.Json;
using Partnerships.Storage.Stores;

namespace Partnerships.Bench;

/// <summary>The baseline's wide response: the stored controls as they are and one entry per mapping row.</summary>
public static class WideDocument
{
    public static void Write(Utf8JsonWriter json, AccountRow account, ControlsRow controls, IEnumerable<MappingRowData> mappings)
    {
        json.WriteStartObject();
        json.WriteString("accountId", account.Id);
        json.WriteString("marketplaceControlsListId", controls.MclId);
        json.WriteString("name", controls.Name);
        json.WritePropertyName("state");
        json.WriteRawValue(controls.StateJson, skipInputValidation: true);
        json.WritePropertyName("network");
        json.WriteRawValue(controls.NetworkJson, skipInputValidation: true);
        json.WriteStartArray("mappings");
        foreach (var m in mappings)
        {
            json.WriteStartObject();
            json.WriteNumber("partner_vertical_id", m.PartnerVerticalId);
            json.WriteNumber("partner_sub_vertical_id", m.PartnerSubVerticalId);
            json.WriteNumber("vertical_id", m.NetworkSubVerticalId);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("contentHash", controls.ContentHash);
        json.WriteString("updatedAt", controls.UpdatedAt);
        json.WriteEndObject();
    }
}
