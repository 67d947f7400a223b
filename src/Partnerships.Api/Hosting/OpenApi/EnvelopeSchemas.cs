using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Partnerships.Core.Errors;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>The response envelope in JSON Schema: one shared error envelope in components, and the success envelope around each view.</summary>
public static class EnvelopeSchemas
{
    public const string ErrorEnvelope = "ErrorEnvelope";
    public const string ErrorDetail = "ErrorDetail";
    public const string OAuthTokenError = "OAuthTokenError";

    public static void AddComponents(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var reason = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Why, machine-readably, where the service says (every 409 does, and two payout answers; docs/api.md lists them). Absent, not null, otherwise. " +
                "content_hash_stale: re-GET, re-apply, retry. idempotency_key_in_flight: retry the same key after Retry-After. " +
                "operation_in_progress: another key's operation on this account has not finished; wait, then retry. " +
                "surface_exists: the account already has that surface. external_account_id_taken: registered with another store_identifier. " +
                "provider_refused (502): the payment provider refused; fix the data, send a new key. " +
                "payout_not_configured (503): no payment provider; do not retry. revoked, name_taken: operator actions.",
            Enum = Core.Errors.ErrorReasons.All.Order(StringComparer.Ordinal).Select(r => (JsonNode)JsonValue.Create(r)!).ToList(),
        };
        document.Components.Schemas[ErrorDetail] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "One offending input.",
            Required = new HashSet<string> { "field", "issue" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JSON path into the request, a header, a query parameter, or empty for the request as a whole." },
                ["issue"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["reason"] = reason,
            },
            AdditionalPropertiesAllowed = false,
        };
        document.Components.Schemas[ErrorEnvelope] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Every rejection: the HTTP status, a stable error code, a message, the request id and every issue found.",
            Required = new HashSet<string> { "status", "error", "message", "request_id", "data", "details" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "400", Maximum = "599" },
                ["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ErrorCodes.All.Select(c => (JsonNode)JsonValue.Create(c)!).ToList() },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["request_id"] = RequestId(),
                ["data"] = new OpenApiSchema { Type = JsonSchemaType.Null },
                ["details"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference(ErrorDetail, document) },
            },
            AdditionalPropertiesAllowed = false,
        };
        document.Components.Schemas[OAuthTokenError] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 6749 §5.2.",
            Required = new HashSet<string> { "error", "error_description" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["error"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = new[] { "invalid_request", "invalid_client", "unsupported_grant_type" }.Select(c => (JsonNode)JsonValue.Create(c)!).ToList(),
                },
                ["error_description"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
    }

    /// <summary>The success envelope around <paramref name="data"/>: status and message fixed, error null, data the view itself (never null).</summary>
    public static OpenApiSchema Success(int status, IOpenApiSchema data) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "status", "error", "message", "request_id", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Enum = [JsonValue.Create(status)] },
            ["error"] = new OpenApiSchema { Type = JsonSchemaType.Null },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("ok")] },
            ["request_id"] = RequestId(),
            ["data"] = data,
        },
        AdditionalPropertiesAllowed = false,
    };

    private static OpenApiSchema RequestId() => new()
    {
        Type = JsonSchemaType.String, Format = "uuid", Description = "The request's id, also sent as X-Request-Id and on every log line of the request.",
    };
}
