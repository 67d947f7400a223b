using System.Text.Json;
using Partnerships.Core.Controls;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Controls;

/// <summary>The stored form of a controls list.</summary>
public static class ControlsState
{
    public static MclState Of(ControlsRow row) => JsonSerializer.Deserialize<MclState>(row.StateJson, StateJson) ?? MclState.Empty;

    public static string ToJson(MclState state) => JsonSerializer.Serialize(state, StateJson);

    /// <summary>The strong entity tag of a content hash.</summary>
    public static string ETag(string contentHash) => "\"" + contentHash + "\"";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
}
