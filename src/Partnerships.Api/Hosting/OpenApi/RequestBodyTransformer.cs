using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// The request body of each route that reads one: the JSON schema of the type its RequestBodyMetadata names (see
/// <see cref="WireSchemaTransformer"/> for what it states), or the bulk formats of the operators' loads. The token endpoint's
/// form body is <see cref="TokenEndpointTransformer"/>'s.
/// </summary>
public sealed class RequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = RouteFacts.From(context.Description);
        if (route.Surface == ApiSurface.OAuth) return;
        if (route.Bulk is { } bulk)
        {
            operation.RequestBody = bulk switch
            {
                BulkBodyKind.VerticalMappings => new OpenApiRequestBody
                {
                    Required = true,
                    Description = "One mapping (a JSON object), a list of them (a JSON array), or a CSV file with a header row naming partner_vertical_id, partner_sub_vertical_id, partner_vertical_name, partner_sub_vertical_name (optional) and network_sub_vertical_id; all or nothing.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = await MappingRowsAsync(context, cancellationToken),
                        },
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                },
                _ => new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The network taxonomy as an IAB Tech Lab tab-separated file (UTF-8).",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["text/tab-separated-values"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                },
            };
            return;
        }
        if (route.BodyType is { } type)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new()
                    {
                        Schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken),
                        Example = Example(type, context.ApplicationServices),
                    },
                },
            };
        }
    }

    /// <summary>A body record's own example (<see cref="Partnerships.Core.Json.IRequestBody{TSelf}"/>), serialised as the wire sends it.</summary>
    private static System.Text.Json.Nodes.JsonNode? Example(Type type, IServiceProvider services)
    {
        var implements = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Partnerships.Core.Json.IRequestBody<>));
        if (!implements || type.GetProperty("Example", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) is not { } example)
        {
            return null;
        }
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return System.Text.Json.JsonSerializer.SerializeToNode(example, type, options);
    }

    private static async Task<IOpenApiSchema> MappingRowsAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var row = await context.GetOrCreateSchemaAsync(typeof(Features.MappingRowBody), null, ct);
        return new OpenApiSchema { OneOf = [row, new OpenApiSchema { Type = JsonSchemaType.Array, Items = row, MinItems = 1 }] };
    }
}
