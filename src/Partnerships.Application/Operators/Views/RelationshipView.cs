using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

public sealed record RelationshipView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("relationship_status")] string RelationshipStatus);
