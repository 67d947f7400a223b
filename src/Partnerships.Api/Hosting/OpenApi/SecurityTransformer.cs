using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>Partner routes need an OAuth 2.0 client-credentials access token; admin routes an admin key (padm_…) as a bearer token.</summary>
public sealed class SecurityTransformer : IOpenApiOperationTransformer
{
    public const string PartnerScheme = "PartnerOAuth";
    public const string AdminScheme = "AdminKey";
    public const string ClientBasicScheme = "ClientBasic";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = RouteFacts.From(context.Description);
        operation.Security = route.Surface switch
        {
            ApiSurface.Partner => [Requirement(PartnerScheme, context.Document)],
            ApiSurface.Admin => [Requirement(AdminScheme, context.Document)],
            // Client authentication: HTTP Basic, or client_id and client_secret in the form body (no scheme at all).
            ApiSurface.OAuth => [Requirement(ClientBasicScheme, context.Document), new OpenApiSecurityRequirement()],
            _ => [],
        };
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };

    public static void AddSchemes(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [PartnerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "OAuth 2.0 client credentials: POST the platform's client_id and client_secret to the token URL, then send " +
                    "Authorization: Bearer <access_token>. Tokens last expires_in seconds (300 by default).",
                Flows = new OpenApiOAuthFlows
                {
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri("/api/v1/oauth/token", UriKind.Relative),
                        Scopes = new Dictionary<string, string>(),
                    },
                },
            },
            [AdminScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "padm_…",
                Description = "An operator admin key: Authorization: Bearer padm_…",
            },
            [ClientBasicScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "basic",
                Description = "RFC 6749 §2.3.1 client authentication: client_id and client_secret, each form-urlencoded, as HTTP Basic credentials.",
            },
        };
    }
}
