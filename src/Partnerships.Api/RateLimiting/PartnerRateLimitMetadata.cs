namespace Partnerships.Api.RateLimiting;

/// <summary>Marks the partner surface's routes: each draws on one of its platform's budgets (RateLimitPolicies, by operationId).</summary>
public sealed record PartnerRateLimitMetadata;
