using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Partnerships.Api.Features;
using Partnerships.Application.Pipeline;

namespace Partnerships.Api.Hosting.OpenApi;

public enum ApiSurface { Partner, Admin, OAuth, Other }

public sealed record PathParameter(string Name, bool IsInteger);

/// <summary>What the document needs to know about one route, read from its endpoint metadata and pattern.</summary>
public sealed partial record RouteFacts(
    ApiSurface Surface, string? OperationId, string Method, WriteRoute? Write, Type? BodyType, BulkBodyKind? Bulk,
    IReadOnlyList<PathParameter> PathParameters, IReadOnlyList<QueryParameter> Query)
{
    public bool IsWrite => Write is not null;
    public bool ReadsBody => BodyType is not null || Bulk is not null;
    public bool AccountScoped => PathParameters.Any(p => p.Name == "account_id");

    public static RouteFacts From(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var tags = metadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>().SelectMany(t => t.Tags).ToHashSet();
        var surface = tags.Contains("Partner") ? ApiSurface.Partner
            : tags.Contains(Auth.AdminAuthFilter.Tag) ? ApiSurface.Admin
            : tags.Contains("OAuth") ? ApiSurface.OAuth
            : ApiSurface.Other;
        var template = description.ActionDescriptor.AttributeRouteInfo?.Template ?? description.RelativePath ?? "";
        var pathParameters = PathParameterPattern().Matches(template)
            .Select(m => new PathParameter(m.Groups["name"].Value, m.Groups["constraint"].Value is "long" or "int"))
            .ToList();
        return new RouteFacts(
            surface,
            metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName,
            description.HttpMethod ?? "GET",
            metadata.OfType<WriteEndpoint.WriteRouteMetadata>().FirstOrDefault()?.Route,
            metadata.OfType<WriteEndpoint.RequestBodyMetadata>().FirstOrDefault()?.Type,
            metadata.OfType<BulkBodyDescription>().FirstOrDefault()?.Kind,
            pathParameters,
            metadata.OfType<QueryParameters>().SelectMany(q => q.Items).ToList());
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?<constraint>[a-z]+))?[^}]*\}")]
    private static partial Regex PathParameterPattern();
}
