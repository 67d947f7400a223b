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
            .AllowAnonymous().ExcludeFromDescription().Add(HeadAsGet);
    }

    /// <summary>
    /// The page's assets skip their body on HEAD without stating their length (they are decompressed as they are sent); run
    /// as a GET, their body is measured for Content-Length and then dropped, so a HEAD states what its GET would.
    /// </summary>
    private static void HeadAsGet(EndpointBuilder endpoint)
    {
        var handler = endpoint.RequestDelegate!;
        endpoint.RequestDelegate = async context =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await handler(context);
                return;
            }
            context.Request.Method = HttpMethods.Get;
            try { await handler(context); }
            finally { context.Request.Method = HttpMethods.Head; }
        };
    }
}
