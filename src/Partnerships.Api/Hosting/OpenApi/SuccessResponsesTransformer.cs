using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Partnerships.Application.Pipeline;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// Each success status a route declares with <c>.Produces&lt;TView&gt;(status)</c> becomes the success envelope whose
/// <c>data</c> is that view, with the headers the service sends on it; the published exceptions answer the view itself.
/// </summary>
public sealed class SuccessResponsesTransformer : IOpenApiOperationTransformer
{
    /// <summary>The partner operations that send the controls' ETag on success.</summary>
    public static readonly IReadOnlySet<string> EntityTagOperations = new HashSet<string> { "GetMarketplaceControls", "PutMarketplaceControls" };

    /// <summary>Partner operations whose success is published outside the envelope, with the header that names what they created.</summary>
    public static readonly IReadOnlyDictionary<string, string> UnwrappedOperations = new Dictionary<string, string>
    {
        ["SubmitNetworkPrivacyRequest"] = Partnerships.Application.Features.PrivacyRequests.NetworkPrivacyRequestView.HeaderName,
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var route = RouteFacts.From(context.Description);
        if (route.Surface == ApiSurface.OAuth || operation.Responses is null) return Task.CompletedTask;
        foreach (var (code, response) in operation.Responses.ToList())
        {
            if (!int.TryParse(code, out var status) || status is < 200 or > 299 || response is not OpenApiResponse concrete) continue;
            var data = concrete.Content?.Values.Select(m => m.Schema).FirstOrDefault(s => s is not null);
            if (route.OperationId is { } unwrapped && UnwrappedOperations.TryGetValue(unwrapped, out var idHeader))
            {
                concrete.Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = data } };
                concrete.Description = "Accepted: the request is on its way to the network's privacy pipeline. Not in the envelope, as published.";
                var unwrappedHeaders = new Dictionary<string, IOpenApiHeader>
                {
                    ["X-Request-Id"] = ResponseHeaders.RequestId(),
                    [idHeader] = ResponseHeaders.Text("The request's id: the body's requestId.", "uuid", required: true),
                };
                ResponseHeaders.AddRateLimit(unwrappedHeaders, required: true);
                concrete.Headers = unwrappedHeaders;
                continue;
            }
            if (concrete.Content?.ContainsKey(Partnerships.Application.Operators.AuditNdjson.ContentType) == true)
            {
                // A stream of views, one a line: the view is the schema of each line, outside the envelope.
                concrete.Description = "OK: NDJSON, one JSON object a line, oldest first (not in the envelope).";
                concrete.Headers = new Dictionary<string, IOpenApiHeader> { ["X-Request-Id"] = ResponseHeaders.RequestId() };
                continue;
            }
            if (data is not null)
            {
                concrete.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new() { Schema = EnvelopeSchemas.Success(status, data) },
                };
            }
            concrete.Description = Describe(status, route);
            var headers = new Dictionary<string, IOpenApiHeader> { ["X-Request-Id"] = ResponseHeaders.RequestId() };
            if (route.OperationId is { } id && EntityTagOperations.Contains(id)) headers[HeaderNames.ETag] = ResponseHeaders.ETag();
            if (route.Write is { } write)
            {
                headers[HeaderNames.OperationId] = ResponseHeaders.OperationId();
                headers[HeaderNames.IdempotentReplayed] = ResponseHeaders.IdempotentReplayed();
                headers[HeaderNames.OriginalRequestId] = ResponseHeaders.OriginalRequestId();
                if (write.SupportsDryRun) headers[HeaderNames.DryRun] = ResponseHeaders.DryRun();
            }
            if (route.Surface == ApiSurface.Partner) ResponseHeaders.AddRateLimit(headers, required: true);
            concrete.Headers = headers;
        }
        return Task.CompletedTask;
    }

    private static string Describe(int status, RouteFacts route) => status switch
    {
        201 => "Created.",
        202 when route.OperationId is "RequestDataDeletion" => "Accepted: the erasure is queued; its operation (X-Operation-Id) is pending until " +
            "the worker has erased the personal data everywhere, then completed.",
        202 => "Accepted.",
        200 when route.OperationId is "RegisterAccount" => "The same external_account_id was registered before: the original account.",
        200 when route.OperationId is "CreatePayoutSetup" => "The account already has a payout setup: its current state.",
        _ => "OK.",
    };
}
