using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Partnerships.Application.Pipeline;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// Every error status a route can answer, derived from what kind of route it is, each with the one shared error envelope:
/// authentication (401/403), input (400; 413/415 where a body is read; 422 on pipeline writes), account or resource lookups
/// (404), the conflicts and preconditions of the routes that have them, the payment provider's 502/504, and 500/503 everywhere.
/// </summary>
public sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    /// <summary>Routes whose handlers answer 409 (with a machine-readable reason in details) or 412, by operationId.</summary>
    public static readonly IReadOnlyDictionary<string, int[]> ConflictStatuses = new Dictionary<string, int[]>
    {
        ["RegisterAccount"] = [409],
        ["PutMarketplaceControls"] = [409, 412],
        ["AddPages"] = [409],
        ["CreatePayoutSetup"] = [409, 502, 504],
        ["CreatePlatform"] = [409],
        ["RotateCredential"] = [409],
        ["RotateAdminKey"] = [409],
        ["RevokeAdminKey"] = [409],
    };

    /// <summary>What any route can answer whatever it does: a crash and an unreachable store or time-out.</summary>
    private static readonly int[] EveryRoute = [500, 503];

    /// <summary>Admin routes without a path parameter that still look a platform up (404 when it does not exist).</summary>
    private static readonly IReadOnlySet<string> LookupsWithoutPathParameter = new HashSet<string> { "LoadVerticalMappings" };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = RouteFacts.From(context.Description);
        if (route.Surface == ApiSurface.OAuth) return Task.CompletedTask;
        operation.Responses ??= new OpenApiResponses();
        foreach (var status in Statuses(route))
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Error(status, route, context.Document);
        }
        return Task.CompletedTask;
    }

    public static SortedSet<int> Statuses(RouteFacts route)
    {
        var statuses = new SortedSet<int>(EveryRoute) { 400 };
        if (route.Surface is ApiSurface.Partner or ApiSurface.Admin)
        {
            statuses.Add(401);
            statuses.Add(403);
            // The partner routes' per-platform budgets; on the admin surface, the per-address budget for refused keys.
            statuses.Add(429);
        }
        if (route.PathParameters.Count > 0 || (route.OperationId is { } id && LookupsWithoutPathParameter.Contains(id))) statuses.Add(404);
        if (route.ReadsBody) statuses.Add(413);
        if (route.BodyType is not null || route.Bulk == BulkBodyKind.VerticalMappings) statuses.Add(415);
        if (route.IsWrite) statuses.Add(422);
        if (route.OperationId is { } op && ConflictStatuses.TryGetValue(op, out var more)) statuses.UnionWith(more);
        return statuses;
    }

    public static OpenApiResponse Error(int status, RouteFacts route, OpenApiDocument? document)
    {
        var headers = new Dictionary<string, IOpenApiHeader> { ["X-Request-Id"] = ResponseHeaders.RequestId() };
        if (route.IsWrite) headers[HeaderNames.OperationId] = ResponseHeaders.OperationId();
        if (status is 503 or 429 || (route.OperationId == "CreatePayoutSetup" && status is 409 or 502)) headers["Retry-After"] = ResponseHeaders.RetryAfter(required: status == 429);
        if (route.Surface == ApiSurface.Partner) ResponseHeaders.AddRateLimit(headers, required: false);
        if (status == 401) headers["WWW-Authenticate"] = ResponseHeaders.Text("The authentication scheme to use.");
        return new OpenApiResponse
        {
            Description = Describe(status, route),
            Headers = headers,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(EnvelopeSchemas.ErrorEnvelope, document) },
            },
        };
    }

    private static string Describe(int status, RouteFacts route) => status switch
    {
        400 => "Bad request: a field, header, query parameter or the body itself is invalid (every issue is listed in details).",
        401 => route.Surface == ApiSurface.Admin ? "A missing, unknown or revoked admin key." : "A missing, malformed or expired access token.",
        403 => route.Surface == ApiSurface.Admin ? "Not an admin key (a partner token, for instance)."
            : "Not yours: another platform's account, a revoked relationship, or X-Platform-Parent-Account-Id naming another platform.",
        404 => "Not found.",
        409 when route.OperationId == "PutMarketplaceControls" => "contentHash is not the current one (reason content_hash_stale): re-GET, re-apply, retry.",
        409 when route.OperationId == "CreatePayoutSetup" => "A payout setup for this account is in flight: reason idempotency_key_in_flight (this key's; " +
            "retry the same key after Retry-After) or operation_in_progress (another key's; wait, then retry).",
        409 when route.OperationId == "AddPages" => "The account already has a page for that surface (reason surface_exists).",
        409 when route.OperationId == "RegisterAccount" => "external_account_id is registered with another store_identifier (reason external_account_id_taken).",
        409 => "Conflict with the current state (reason in details).",
        412 => "If-Match names no current entity tag.",
        429 when route.Surface == ApiSurface.Admin => "Too many refused admin keys from this address: retry after Retry-After.",
        429 when route.Surface == ApiSurface.OAuth => "Too many token requests from this address: retry after Retry-After.",
        429 => "Your platform has spent this route's budget (RateLimit-Policy) for now, or this address sent too many refused credentials: " +
            "retry after Retry-After seconds. Nothing was done, nothing recorded, and the Idempotency-Key is still unused.",
        413 => "The body is larger than the route accepts.",
        415 => "The body's media type is not one the route reads.",
        422 => "The Idempotency-Key was used with a different request, or a required header is missing.",
        500 => "Internal server error (no internals are shown).",
        502 => "The payment provider answered with an error: retry with the same Idempotency-Key after Retry-After; with reason " +
            "provider_refused it created nothing and refuses, so fix the account's data and send a new key instead.",
        503 when route.OperationId == "CreatePayoutSetup" => "The store or the payment provider cannot be reached, or the request timed out; nothing " +
            "was changed: retry after Retry-After. With reason payout_not_configured the service has no payment provider: do not retry.",
        503 => "The store or a provider cannot be reached, or the request timed out; nothing was changed. Retry after Retry-After.",
        504 => "The payment provider did not answer in time; retry with the same Idempotency-Key.",
        _ => "Error.",
    };
}
