using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>A platform (an integration partner) as operators see it.</summary>
public sealed record PlatformView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] string CreatedAt);
