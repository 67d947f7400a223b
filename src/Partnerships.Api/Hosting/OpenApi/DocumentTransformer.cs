using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// The document as a whole: its info, a relative server (so the document is the same on every host and port), the tags,
/// the security schemes and the shared error schemas, with components in a stable order.
/// </summary>
public sealed class DocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Partnerships API",
            Version = "v1",
            Description = "Integration partners register their merchants and manage each merchant's brand-safety controls, status, " +
                "placement layouts and payout setup in their own category taxonomy. Every partner response is the envelope " +
                "{status, error, message, request_id, data} (details on errors). Writes take an Idempotency-Key; most can be rehearsed with dry_run=true.",
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "This service." }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Partner", Description = "The partner surface: an OAuth 2.0 client-credentials access token." },
            new() { Name = "OAuth", Description = "Access tokens for the partner surface." },
            new() { Name = Auth.AdminAuthFilter.Tag, Description = "The operators' surface: an admin key." },
        };
        EnvelopeSchemas.AddComponents(document);
        SecurityTransformer.AddSchemes(document);
        document.Components!.Schemas = new SortedDictionary<string, IOpenApiSchema>(document.Components.Schemas!, StringComparer.Ordinal);
        return Task.CompletedTask;
    }
}
