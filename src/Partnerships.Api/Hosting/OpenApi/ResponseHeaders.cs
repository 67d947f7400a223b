using Microsoft.OpenApi;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>The response headers the service sends, as the document describes them (names from the pipeline's HeaderNames).</summary>
public static class ResponseHeaders
{
    public static OpenApiHeader RequestId() => Text("This request's id (a UUID). The body's request_id is the same, except in an idempotent replay, which keeps the original request's (see Original-Request-Id).", "uuid", required: true);

    public static OpenApiHeader ETag() => Text("The controls' contentHash as an entity tag; send it back in If-Match.", required: true);

    public static OpenApiHeader OperationId() => Text("The id of the operation this real write recorded (absent on a dry-run); GET /v1/partnership/operations/{operation_id} reads it.", "uuid");

    public static OpenApiHeader IdempotentReplayed() => Text("true when this is the stored response of an earlier request with the same Idempotency-Key.");

    public static OpenApiHeader OriginalRequestId() => Text("On a replay: the request_id of the request whose response this is.", "uuid");

    public static OpenApiHeader DryRun() => Text("true when the request was a dry-run: nothing was persisted.");

    public static OpenApiHeader RetryAfter(bool required = false) => new()
    {
        Description = "Seconds to wait before retrying (with the same Idempotency-Key for a write).",
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" },
    };

    /// <summary>
    /// The IETF rate-limit header fields (draft-ietf-httpapi-ratelimit-headers) a partner route sends once the request is
    /// past authentication: every answer of the limiter carries them; the ones refused before it (401) do not.
    /// </summary>
    public static void AddRateLimit(IDictionary<string, IOpenApiHeader> headers, bool required)
    {
        headers["RateLimit-Policy"] = Text("The budget this route draws on, as a structured field: \"<policy>\";q=<requests>;w=<window seconds>, " +
            "for instance \"register\";q=10;w=60 (at most 10 in any 60 seconds, per platform).", required: required);
        headers["RateLimit"] = Text("What is left of it: \"<policy>\";r=<remaining>;t=<seconds until the window frees a request>.", required: required);
    }

    public static OpenApiHeader Text(string description, string? format = null, bool required = false) => new()
    {
        Description = description,
        Required = required,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = format },
    };
}
