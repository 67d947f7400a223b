using System.Text.Json.Serialization;

namespace Partnerships.Application.Operators;

/// <summary>One policy's limit for one platform, as the admin surface and the CLI both print it.</summary>
public sealed record RateLimitView(
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("routes")] IReadOnlyList<string> Routes,
    [property: JsonPropertyName("per_minute")] int PerMinute,
    [property: JsonPropertyName("published_per_minute")] int PublishedPerMinute,
    [property: JsonPropertyName("default_per_minute")] int DefaultPerMinute,
    [property: JsonPropertyName("override_per_minute")] int? OverridePerMinute,
    [property: JsonPropertyName("exact")] bool Exact,
    [property: JsonPropertyName("updated_at")] string? UpdatedAt);

/// <summary>Every budget of a platform; the window is the same for all.</summary>
public sealed record PlatformRateLimitsView(
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("window_seconds")] int WindowSeconds,
    [property: JsonPropertyName("policies")] IReadOnlyList<RateLimitView> Policies);
