using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Partnerships.Api.Hosting;

/// <summary>
/// HEAD and 405 for every route, in one place rather than per route. A HEAD is routed as the GET of its path, so no
/// extra endpoint exists (the OpenAPI document lists no <c>head</c> operations), and then runs as a HEAD: everything
/// after routing sees the method the client sent and treats it as the read it is, and Kestrel sends no body. A method
/// the path does not support gets the framework's 405, authenticated like the path's own routes and with an
/// <c>Allow</c> that names HEAD wherever GET is allowed. See docs/decisions/0016-http-semantics.md.
/// </summary>
public static class MethodSemantics
{
    /// <summary>The display name of ASP.NET Core routing's 405 endpoint (HttpMethodMatcherPolicy), which holds no metadata of its own.</summary>
    public const string FrameworkMethodNotAllowed = "405 HTTP Method Not Supported";

    private const string RoutedAsGet = "partnerships.head-routed-as-get";

    /// <summary>Canonical order for <c>Allow</c>; anything else follows alphabetically.</summary>
    private static readonly string[] MethodOrder = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Replaces the implicit routing step: HEAD routed as GET, then restored; a 405 made to answer like its path's routes.</summary>
    public static void UseRoutingWithHeadAndAllow(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Items[RoutedAsGet] = true;
                context.Request.Method = HttpMethods.Get;
            }
            return next(context);
        });
        app.UseRouting();
        var routes = new Lazy<PathRoutes>(() => new PathRoutes(app.Services.GetRequiredService<EndpointDataSource>()));
        app.Use((context, next) =>
        {
            if (context.Items.ContainsKey(RoutedAsGet)) context.Request.Method = HttpMethods.Head;
            if (context.GetEndpoint() is { DisplayName: FrameworkMethodNotAllowed, RequestDelegate: { } framework })
            {
                context.SetEndpoint(MethodNotAllowed(context, framework, routes.Value.Match(context.Request.Path)));
            }
            return next(context);
        });
    }

    /// <summary>
    /// The framework's 405 (status and <c>Allow</c>), with HEAD added to <c>Allow</c> beside GET. It carries the
    /// authentication of the path's routes: a partner path asks for a partner token (401 first, like its routes); an
    /// admin path, or a partner path shared with an admin route and sent an admin key, goes through the admin key
    /// check and its audit (<see cref="Auth.AdminAuthFilter.AuditUnmatchedAsync"/>).
    /// </summary>
    private static Endpoint MethodNotAllowed(HttpContext context, RequestDelegate framework, PathRoutes.Owners owners)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var adminKey = owners.Admin && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && header[7..].Trim().StartsWith(Application.Secrets.AdminKeyPrefix, StringComparison.Ordinal);
        var metadata = new List<object> { new MethodNotAllowedMetadata(owners.Admin && (adminKey || !owners.Partner)) };
        if (owners.Partner && !adminKey) metadata.Add(new AuthorizeAttribute());
        return new Endpoint(async http =>
        {
            await framework(http);
            http.Response.Headers.Allow = WithHead(http.Response.Headers.Allow.ToString());
        }, new EndpointMetadataCollection(metadata), FrameworkMethodNotAllowed);
    }

    /// <summary>Allow lists HEAD wherever it lists GET, in a stable order.</summary>
    public static string WithHead(string allow)
    {
        var methods = allow.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => m.ToUpperInvariant()).ToHashSet();
        if (methods.Contains("GET")) methods.Add("HEAD");
        return string.Join(", ", methods.OrderBy(m => Array.IndexOf(MethodOrder, m) is var i and >= 0 ? i : MethodOrder.Length).ThenBy(m => m, StringComparer.Ordinal));
    }
}

/// <summary>Marks the 405 endpoint; <c>Admin</c>: the request is checked and audited as an operator attempt.</summary>
public sealed record MethodNotAllowedMetadata(bool Admin);

/// <summary>Which surfaces own the routes of a path (any method): the authentication a 405 there must ask for.</summary>
internal sealed class PathRoutes(EndpointDataSource source)
{
    public sealed record Owners(bool Partner, bool Admin);

    private sealed record Entry(TemplateMatcher Matcher, bool Partner, bool Admin);

    private readonly List<Entry> _entries = source.Endpoints.OfType<RouteEndpoint>().Select(e => new Entry(
        new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults)),
        e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null,
        e.Metadata.GetOrderedMetadata<ITagsMetadata>().Any(t => t.Tags.Contains(Auth.AdminAuthFilter.Tag)))).ToList();

    public Owners Match(PathString path)
    {
        bool partner = false, admin = false;
        foreach (var entry in _entries)
        {
            if (!entry.Matcher.TryMatch(path, new RouteValueDictionary())) continue;
            partner |= entry.Partner;
            admin |= entry.Admin;
        }
        return new Owners(partner, admin);
    }
}
