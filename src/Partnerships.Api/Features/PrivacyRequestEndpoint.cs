using System.Text.Json;
using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Application.Features.PrivacyRequests;
using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;

namespace Partnerships.Api.Features;

/// <summary>
/// POST /v1/partnership/network-privacy-requests: reads the HTTP request into a <see cref="PrivacySubmission"/> and answers
/// the published 202, outside the envelope. Refusals are ApiErrors, answered in the envelope like every other error.
/// </summary>
public static class PrivacyRequestEndpoint
{
    public const string OperationId = "SubmitNetworkPrivacyRequest";

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static async Task<IResult> SubmitAsync(HttpContext http, SubmitNetworkPrivacyRequest submit)
    {
        var partner = Partner.From(http);
        ApiError? inputError = null;
        var dryRun = false;
        var body = EmptyObject;
        try
        {
            dryRun = WriteEndpoint.ParseDryRun(http);
            // A consumer's identifier belongs in the body: one sent in the query would sit in every access log on the way.
            var unknown = http.Request.Query.Keys.Where(k => k is not (SubmitNetworkPrivacyRequest.ParentAccountIdParameter or "dry_run"))
                .Order(StringComparer.Ordinal).Select(k => new FieldIssue(k.Length > 64 ? k[..64] + "…" : k, "is not a query parameter of this route; identifiers go in the body")).ToList();
            if (unknown.Count > 0) throw ApiError.BadRequest(unknown);
            body = await WriteEndpoint.ReadJsonBodyAsync(http);
        }
        catch (ApiError e)
        {
            inputError = e;
        }
        // Idempotency-Key is not read: a privacy request has no operation to replay, and a repeat is harmless to the pipeline.
        var view = await submit.HandleAsync(new PrivacySubmission(RequestIds.Of(http), partner.PlatformId, partner.CredentialId,
            http.Request.Method, http.Request.Path.Value ?? "", http.Request.Query[SubmitNetworkPrivacyRequest.ParentAccountIdParameter].ToArray(),
            dryRun, body) { InputError = inputError });
        return new EnvelopeResult(StatusCodes.Status202Accepted, JsonSerializer.Serialize(view, Envelope.Json),
            new Dictionary<string, string> { [NetworkPrivacyRequestView.HeaderName] = view.RequestId });
    }
}
