using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Api.Features;

// The admin routes' JSON request bodies (their answers are the operator views in Partnerships.Application.Operators).
// One record per shape, so the parsed body and the OpenAPI document come from the same declaration.

public sealed record CreatePlatformBody(
    [property: JsonPropertyName("name"), System.ComponentModel.DataAnnotations.Required] string Name);

public sealed record WebhookUrlBody(
    [property: JsonPropertyName("url"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.StringLength(2048, MinimumLength = 1),
        System.ComponentModel.Description("A public https URL without user name or password; internal and special-purpose hosts are refused.")] string Url);

public sealed record RateLimitBody(
    [property: JsonPropertyName("per_minute"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.Range(1, Partnerships.Application.Operators.RateLimitSettings.MaxPerMinute),
        System.ComponentModel.Description("Requests a platform may send in any 60 seconds under this policy.")] long PerMinute);

/// <summary>One row of a vertical-mapping load as JSON (the body is one such object or an array of them; a CSV load names the same columns in snake_case).</summary>
public sealed record MappingRowBody(
    [property: JsonPropertyName("partnerVerticalId"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)] long PartnerSubVerticalId,
    [property: JsonPropertyName("partnerVerticalName")] string? PartnerVerticalName,
    [property: JsonPropertyName("partnerSubVerticalName")] string? PartnerSubVerticalName,
    [property: JsonPropertyName("networkSubVerticalId"), System.ComponentModel.DataAnnotations.Required,
        System.ComponentModel.Description("A network sub-vertical (tier 2, or tier 3, which rolls up to its tier 2).")] long NetworkSubVerticalId);

