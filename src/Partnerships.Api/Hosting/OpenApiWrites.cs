using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Partnerships.Api.Features;

namespace Partnerships.Api.Hosting;

/// <summary>Describes each pipeline write in the OpenAPI document: its JSON body, Idempotency-Key and dry_run.</summary>
public static class OpenApiWrites
{
    public static void AddWriteDescriptions(this OpenApiOptions options) => options.AddOperationTransformer(async (operation, context, ct) =>
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<WriteEndpoint.WriteRouteMetadata>().FirstOrDefault() is not { } write) return;
        if (metadata.OfType<WriteEndpoint.RequestBodyMetadata>().FirstOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, ct) },
                },
            };
        }
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key", In = ParameterLocation.Header, Required = write.Route.RequiresIdempotencyKey,
            Description = "A UUID; the same key with the same request replays the stored response for 24 hours.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "dry_run", In = ParameterLocation.Query, Required = false,
            Description = write.Route.SupportsDryRun
                ? "true runs the full request and returns the would-be response without persisting anything."
                : "Not supported here: true is rejected with 400.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean },
        });
    });
}
