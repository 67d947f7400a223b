using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// Path parameters from the route pattern (every one, typed: ids are strings, <c>:long</c> segments integers), the query
/// parameters a route declares, and the headers the service reads: Idempotency-Key on writes, If-Match on the controls PUT,
/// X-Platform-Parent-Account-Id on partner routes, and dry_run only where the write can rehearse.
/// </summary>
public sealed class ParametersTransformer : IOpenApiOperationTransformer
{
    /// <summary>The partner operations whose route honours If-Match against the ETag its GET sends.</summary>
    public static readonly IReadOnlySet<string> IfMatchOperations = new HashSet<string> { "PutMarketplaceControls" };

    private static readonly Dictionary<string, string> PathDescriptions = new()
    {
        ["account_id"] = "The account's id, as registration returned it.",
        ["layout_id"] = "The layout's id (each page of the account has one; see the account's pages).",
        ["operation_id"] = "The id a write sent in X-Operation-Id.",
        ["platform_id"] = "The platform's id (its platform_parent_account_id).",
        ["credential_id"] = "The credential's id.",
        ["request_id"] = "The network privacy request's id (its requestId).",
        ["id"] = "The id of the item.",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = RouteFacts.From(context.Description);
        var parameters = (operation.Parameters ?? []).Where(p => p.In != ParameterLocation.Path).ToList();
        var position = 0;
        foreach (var path in route.PathParameters)
        {
            parameters.Insert(position++, new OpenApiParameter
            {
                Name = path.Name, In = ParameterLocation.Path, Required = true,
                Description = PathDescriptions.GetValueOrDefault(path.Name, $"The {path.Name}."),
                Schema = path.IsInteger ? new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" } : new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        foreach (var query in route.Query) parameters.Add(Query(query));

        if (route.Write is { } write)
        {
            if (write.SupportsDryRun)
            {
                parameters.Add(new OpenApiParameter
                {
                    Name = "dry_run", In = ParameterLocation.Query, Required = false,
                    Description = "true runs the full request and answers what the real call would, persisting nothing (Dry-Run: true, no X-Operation-Id).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
                });
            }
            parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key", In = ParameterLocation.Header, Required = write.RequiresIdempotencyKey,
                Description = "A UUID. The same key with the same method, path and body replays the stored response (Idempotent-Replayed: true) " +
                    "for 24 hours; with a different body it is a 422. Retry a lost or failed (5xx) request with the same key.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
            });
        }
        if (route.OperationId is { } id && IfMatchOperations.Contains(id))
        {
            parameters.Add(new OpenApiParameter
            {
                Name = "If-Match", In = ParameterLocation.Header, Required = false,
                Description = "Entity tags from the GET's ETag (a list, RFC 9110). When none matches the current state the PUT is a 412 and nothing is written.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        if (route.Surface == ApiSurface.Partner)
        {
            parameters.Add(new OpenApiParameter
            {
                Name = "X-Platform-Parent-Account-Id", In = ParameterLocation.Header, Required = false,
                Description = "Your platform's id. When sent it must be the access token's platform (else 403); a deployment may require it on writes (422 without).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        operation.Parameters = parameters.Count > 0 ? parameters : null;
        return Task.CompletedTask;
    }

    private static OpenApiParameter Query(QueryParameter query)
    {
        var schema = new OpenApiSchema
        {
            Type = query.Type switch
            {
                QueryParameterType.Integer => JsonSchemaType.Integer,
                QueryParameterType.Boolean => JsonSchemaType.Boolean,
                _ => JsonSchemaType.String,
            },
            Format = query.Format ?? (query.Type == QueryParameterType.Integer ? "int64" : null),
            Minimum = query.Minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = query.Maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (query.Enum is { Count: > 0 } values) schema.Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList();
        return new OpenApiParameter { Name = query.Name, In = ParameterLocation.Query, Required = query.Required, Description = query.Description, Schema = schema };
    }
}
