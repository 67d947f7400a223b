using System.Text.Json;
using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Core.Json;

namespace Partnerships.Api.Features;

/// <summary>
/// Turns an HTTP write into a <see cref="WriteRequest"/> and runs it through the one write pipeline. Endpoints only
/// declare their route and handler; idempotency, dry-run, operations and audit come from here.
/// </summary>
public static class WriteEndpoint
{
    /// <summary>Metadata marking an endpoint as a pipeline write, so tooling and tests can enumerate the write routes.</summary>
    public sealed record WriteRouteMetadata(WriteRoute Route);

    /// <summary>The body's wire record (the type its parser reads as, the OpenAPI schema's source) and a valid example of it; marks every route that reads a JSON body.</summary>
    public sealed record RequestBodyMetadata(Type Type, object? Example = null);

    public static RouteHandlerBuilder MapWrite<TBody>(this RouteGroupBuilder group, string method, string pattern, WriteRoute route,
        Func<HttpContext, WriteHandler> handler) where TBody : IRequestBody<TBody> =>
        group.MapMethods(pattern, [method], (HttpContext http, WritePipeline pipeline) => RunAsync(http, pipeline, route, handler(http)))
            .WithMetadata(new WriteRouteMetadata(route), new RequestBodyMetadata(typeof(TBody), TBody.Example));

    /// <summary>A write whose execution is not one pipeline transaction (payout setup's phases); the request is read the same way.</summary>
    public static RouteHandlerBuilder MapPhasedWrite<TBody>(this RouteGroupBuilder group, string method, string pattern, WriteRoute route,
        Func<HttpContext, WriteRequest, Task<WriteResult>> execute) where TBody : IRequestBody<TBody> =>
        group.MapMethods(pattern, [method], (HttpContext http, WritePipeline pipeline) => RunAsync(http, pipeline, route, null!, execute))
            .WithMetadata(new WriteRouteMetadata(route), new RequestBodyMetadata(typeof(TBody), TBody.Example));

    private static async Task<IResult> RunAsync(HttpContext http, WritePipeline pipeline, WriteRoute route, WriteHandler handler,
        Func<HttpContext, WriteRequest, Task<WriteResult>>? execute = null)
    {
        var partner = Partner.From(http);
        ApiError? inputError = null;
        var dryRun = false;
        var body = default(JsonElement);
        try
        {
            dryRun = ParseDryRun(http);
            SingleHeader(http, "Idempotency-Key");
            body = await ReadJsonBodyAsync(http);
        }
        catch (ApiError e)
        {
            inputError = e;
            body = EmptyObject;
        }
        var accountId = route.AccountScoped ? http.GetRouteValue("account_id")?.ToString() : null;
        var request = new WriteRequest(route, RequestIds.Of(http), partner.PlatformId, partner.CredentialId, http.Request.Method,
            http.Request.Path.Value ?? "", accountId, BoundedKey(http.Request.Headers["Idempotency-Key"].FirstOrDefault()), dryRun, body,
            http.Request.Headers.IfMatch.Count > 0 ? http.Request.Headers.IfMatch.ToString() : null) { InputError = inputError };
        // Not http.RequestAborted: once a write starts it finishes, so a client that hangs up after sending can retry with its key and get the stored response.
        var result = execute is not null ? await execute(http, request) : await pipeline.ExecuteAsync(request, handler, CancellationToken.None);
        return new EnvelopeResult(result.Status, result.Body, result.Headers);
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary><c>dry_run</c> accepts true or false; anything else is a 400 rather than a silent real write.</summary>
    public static bool ParseDryRun(HttpContext http) => http.Request.Query["dry_run"] switch
    {
        { Count: 0 } => false,
        { Count: 1 } v when v[0] == "true" => true,
        { Count: 1 } v when v[0] == "false" => false,
        _ => throw ApiError.Field("dry_run", "must be true or false"),
    };

    /// <summary>A header the service reads as one value, sent on several lines, is refused rather than silently taking the first.</summary>
    public static void SingleHeader(HttpContext http, string name)
    {
        if (http.Request.Headers[name].Count > 1)
        {
            throw ApiError.BadRequest(new FieldIssue(name, "must be sent exactly once"));
        }
    }

    /// <summary>An overlong key is refused as not a UUID anyway; only its head is kept for the audit entry, which stays small.</summary>
    private static string? BoundedKey(string? key) => key is { Length: > 128 } ? key[..128] : key;

    /// <summary>Every JSON body: within the route's size limit (413), then through the one strict reader (400 naming where).</summary>
    public static async Task<JsonElement> ReadJsonBodyAsync(HttpContext http)
    {
        var contentType = http.Request.ContentType;
        if (contentType is null || !IsJson(contentType))
        {
            throw new ApiError(415, ErrorCodes.UnsupportedMediaType, "The body must be application/json",
                [new FieldIssue("Content-Type", contentType is null ? "is required: application/json" : $"{contentType} is not supported")]);
        }
        return StrictJson.Parse(await RequestBodies.ReadAsync(http));
    }

    private static bool IsJson(string contentType)
    {
        var media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
