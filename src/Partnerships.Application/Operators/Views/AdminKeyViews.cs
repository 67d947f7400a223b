using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>An admin key just created or rotated: the only time the key is shown.</summary>
public sealed record IssuedAdminKeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("admin_key")] string AdminKey,
    [property: JsonPropertyName("note")] string Note)
{
    public const string ShownOnce = "The admin_key is shown once; store it now.";
}

/// <summary>An admin key as listed: never the key itself.</summary>
public sealed record AdminKeyView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("rotated_at")] string? RotatedAt,
    [property: JsonPropertyName("revoked_at")] string? RevokedAt);
