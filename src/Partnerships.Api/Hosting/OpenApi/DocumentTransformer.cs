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
        foreach (var schema in document.Components.Schemas.Values) NullableAsAnyOf(schema);
        var operations = document.Paths.Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());
        foreach (var operation in operations)
        {
            var responses = operation.Responses?.Values ?? Enumerable.Empty<IOpenApiResponse>();
            var bodies = operation.RequestBody?.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>();
            foreach (var media in responses.SelectMany(r => r.Content?.Values ?? Enumerable.Empty<OpenApiMediaType>()).Concat(bodies))
            {
                if (media.Schema is not null) NullableAsAnyOf(media.Schema);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A nullable reference is generated as <c>oneOf: [null, T]</c>, which refuses null when T itself allows anything (a JSON
    /// value such as an audit summary): exactly one branch must match. <c>anyOf</c> says what is meant: null or T.
    /// </summary>
    private static void NullableAsAnyOf(IOpenApiSchema node, HashSet<IOpenApiSchema>? seen = null)
    {
        seen ??= new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        if (node is not OpenApiSchema schema || !seen.Add(schema)) return;
        if (schema.OneOf is { Count: 2 } branches && branches.Any(b => b is OpenApiSchema { Type: JsonSchemaType.Null }))
        {
            schema.AnyOf = branches;
            schema.OneOf = null;
        }
        var children = (schema.Properties?.Values ?? Enumerable.Empty<IOpenApiSchema>())
            .Concat(schema.AllOf ?? Enumerable.Empty<IOpenApiSchema>()).Concat(schema.AnyOf ?? Enumerable.Empty<IOpenApiSchema>())
            .Concat(schema.OneOf ?? Enumerable.Empty<IOpenApiSchema>());
        foreach (var child in children)
        {
            NullableAsAnyOf(child, seen);
        }
        if (schema.Items is not null) NullableAsAnyOf(schema.Items, seen);
        if (schema.AdditionalProperties is not null) NullableAsAnyOf(schema.AdditionalProperties, seen);
    }
}
