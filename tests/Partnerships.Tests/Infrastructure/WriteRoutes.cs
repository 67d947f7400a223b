using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Api.Features;
using Partnerships.Application.Pipeline;

namespace Partnerships.Tests.Infrastructure;

/// <summary>A write route of the app's own endpoint table, with its body record and that record's example.</summary>
public sealed record WriteRouteCase(RouteEndpoint Endpoint, WriteRoute Route, string Method, Type BodyType, JsonObject Example)
{
    public string Pattern => Endpoint.RoutePattern.RawText!;

    /// <summary>The route's path with its parameters from a registration's answer: account_id, and its first page's page_id and layout_id.</summary>
    public string PathFor(JsonElement registration)
    {
        var page = registration.GetProperty("pages")[0];
        var path = "/" + Pattern.TrimStart('/');
        foreach (var parameter in Endpoint.RoutePattern.Parameters)
        {
            var source = registration.TryGetProperty(parameter.Name, out var v) ? v : page.GetProperty(parameter.Name);
            path = path.Replace("{" + parameter.Name + "}", source.GetString(), StringComparison.Ordinal);
        }
        return path;
    }
}

public static class WriteRoutes
{
    /// <summary>Every pipeline write the server maps; a body naming a platform names <paramref name="platformId"/>.</summary>
    public static IReadOnlyList<WriteRouteCase> Of(TestServer server, string platformId) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<WriteEndpoint.WriteRouteMetadata>() is not null)
            .Select(e =>
            {
                var body = e.Metadata.GetMetadata<WriteEndpoint.RequestBodyMetadata>()
                    ?? throw new InvalidOperationException(e.RoutePattern.RawText + " declares no body record");
                var example = JsonNode.Parse(JsonSerializer.Serialize(body.Example
                    ?? throw new InvalidOperationException(e.RoutePattern.RawText + " declares no body example"), body.Type))!.AsObject();
                if (example.ContainsKey("platform_parent_account_id")) example["platform_parent_account_id"] = platformId;
                return new WriteRouteCase(e, e.Metadata.GetMetadata<WriteEndpoint.WriteRouteMetadata>()!.Route,
                    e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single(), body.Type, example);
            }).ToList();
}
