using Scalar.AspNetCore;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json, generated from the routes' metadata and the wire records, and the reference page that reads it.</summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/reference";

    public static IServiceCollection AddPartnershipsOpenApi(this IServiceCollection services)
    {
        services.AddSingleton<RequestBodyTypes>();
        return services.AddOpenApi(o =>
        {
            o.AddSchemaTransformer<WireSchemaTransformer>();
            o.AddOperationTransformer<ParametersTransformer>();
            o.AddOperationTransformer<RequestBodyTransformer>();
            o.AddOperationTransformer<SuccessResponsesTransformer>();
            o.AddOperationTransformer<ErrorResponsesTransformer>();
            o.AddOperationTransformer<SecurityTransformer>();
            o.AddOperationTransformer<TokenEndpointTransformer>();
            o.AddDocumentTransformer<DocumentTransformer>();
        });
    }

    public static void MapApiDocuments(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o => o.WithTitle("Partnerships API reference").WithOpenApiRoutePattern(DocumentPath))
            .AllowAnonymous().ExcludeFromDescription();
    }
}
