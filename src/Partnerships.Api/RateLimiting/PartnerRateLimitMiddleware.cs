using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Application.RateLimits;
using Partnerships.Core.Errors;

namespace Partnerships.Api.RateLimiting;

/// <summary>
/// After authentication and before anything else — tenancy, input, the write pipeline — so a refused request reads and
/// writes nothing: no audit entry, no operation, no idempotency record (its key stays unused). Every response of a
/// limited route carries RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers), so clients can pace
/// themselves before they are refused.
/// </summary>
public sealed class PartnerRateLimitMiddleware(RequestDelegate next, RateLimiter limiter, RateLimitOptions options)
{
    public const string PolicyHeader = "RateLimit-Policy";
    public const string StateHeader = "RateLimit";

    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (!options.Enabled || endpoint?.Metadata.GetMetadata<PartnerRateLimitMetadata>() is null
            || http.User.FindFirst(Partner.PlatformClaim)?.Value is not { } platformId)
        {
            await next(http);
            return;
        }
        var policy = RateLimitPolicies.ForOperation(endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
        var decision = await limiter.AcquireAsync(platformId, policy, http.RequestAborted);
        // Set as the response starts, so an error handler that clears the response keeps them.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[PolicyHeader] = decision.PolicyField;
            http.Response.Headers[StateHeader] = decision.StateField;
            return Task.CompletedTask;
        });
        if (!decision.Allowed)
        {
            RateLimitMetrics.Refused.Add(1, new KeyValuePair<string, object?>("policy", policy.Name));
            http.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await EnvelopeErrors.WriteAsync(http, new ApiError(429, ErrorCodes.RateLimitExceeded,
                $"Rate limit exceeded: at most {decision.Limit} requests in {(int)RateLimitPolicies.Window.TotalSeconds} seconds on '{policy.Name}' " +
                $"for your platform; retry after {decision.RetryAfterSeconds} seconds"));
            return;
        }
        await next(http);
    }
}
