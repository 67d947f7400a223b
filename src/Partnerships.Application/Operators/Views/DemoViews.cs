using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>A demo platform created by this seeding, with the only copy of its credential's secret.</summary>
public sealed record DemoPlatform(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("client_secret")] string ClientSecret);

public sealed record DemoSeedView(
    [property: JsonPropertyName("platforms")] IReadOnlyList<DemoPlatform> Platforms,
    [property: JsonPropertyName("note")] string Note);
