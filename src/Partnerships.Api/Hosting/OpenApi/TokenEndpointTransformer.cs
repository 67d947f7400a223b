using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Partnerships.Api.Auth;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>The OAuth token endpoint as RFC 6749 has it: a form body, the token answer and §5.2 errors (not the envelope).</summary>
public sealed class TokenEndpointTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = RouteFacts.From(context.Description);
        if (route.Surface != ApiSurface.OAuth) return;
        operation.Summary ??= "Get an access token (OAuth 2.0 client credentials)";
        operation.Description = "RFC 6749 §4.4. Client authentication by HTTP Basic or by client_id and client_secret in the form, not both. " +
            "At most 16 KiB and 32 parameters, no parameter twice.";
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/x-www-form-urlencoded"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "grant_type" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["grant_type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("client_credentials")] },
                            ["client_id"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1024, Description = "Required unless sent by HTTP Basic." },
                            ["client_secret"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1024, Format = "password", Description = "Required unless sent by HTTP Basic." },
                        },
                    },
                },
            },
        };
        var noStore = new Dictionary<string, IOpenApiHeader>
        {
            ["Cache-Control"] = ResponseHeaders.Text("no-store", required: true),
            ["Pragma"] = ResponseHeaders.Text("no-cache", required: true),
            ["X-Request-Id"] = ResponseHeaders.RequestId(),
        };
        operation.Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "An access token.",
                Headers = noStore,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TokenResponse), null, cancellationToken) },
                },
            },
            ["400"] = OAuthError("invalid_request (a malformed form, a missing grant_type, two client authentications) or unsupported_grant_type.", noStore, context.Document),
            ["401"] = OAuthError("invalid_client: unknown client, wrong or expired secret, revoked credential.",
                new Dictionary<string, IOpenApiHeader>(noStore) { ["WWW-Authenticate"] = ResponseHeaders.Text("Basic or Bearer.", required: true) }, context.Document),
            ["429"] = ErrorResponsesTransformer.Error(429, route, context.Document),
            ["500"] = ErrorResponsesTransformer.Error(500, route, context.Document),
            ["503"] = ErrorResponsesTransformer.Error(503, route, context.Document),
        };
    }

    private static OpenApiResponse OAuthError(string description, Dictionary<string, IOpenApiHeader> headers, OpenApiDocument? document) => new()
    {
        Description = description,
        Headers = headers,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new() { Schema = new OpenApiSchemaReference(EnvelopeSchemas.OAuthTokenError, document) },
        },
    };
}
