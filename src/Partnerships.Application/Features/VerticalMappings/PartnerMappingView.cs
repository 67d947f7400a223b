using System.Text.Json.Serialization;

namespace Partnerships.Application.Features.VerticalMappings;

/// <summary>One pair of the platform's own taxonomy that the network can translate.</summary>
public sealed record PartnerMappingView(
    [property: JsonPropertyName("partnerVerticalId")] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId")] long PartnerSubVerticalId,
    [property: JsonPropertyName("partnerVerticalName")] string? PartnerVerticalName,
    [property: JsonPropertyName("partnerSubVerticalName")] string? PartnerSubVerticalName);
