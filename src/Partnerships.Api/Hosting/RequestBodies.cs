using Microsoft.AspNetCore.Http.Features;
using Partnerships.Core.Errors;

namespace Partnerships.Api.Hosting;

/// <summary>Marks an operator bulk load (mapping tables, the network taxonomy): it gets Http:MaxBulkBodyBytes instead of the default limit.</summary>
public sealed record BulkBodyMetadata;

/// <summary>
/// Reads a request body whole, within the route's limit: an announced Content-Length over the limit is refused before a
/// byte is read, and a chunked body stops being read at the limit. Either way a 413 in the envelope, so a rejection
/// costs at most the limit in memory and nothing in the store.
/// </summary>
public static class RequestBodies
{
    public static long LimitFor(HttpContext http)
    {
        var settings = http.RequestServices.GetRequiredService<HostSettings>();
        return http.GetEndpoint()?.Metadata.GetMetadata<BulkBodyMetadata>() is not null ? settings.MaxBulkBodyBytes : settings.MaxRequestBodyBytes;
    }

    public static Task<byte[]> ReadAsync(HttpContext http) => ReadAsync(http, LimitFor(http));

    public static async Task<byte[]> ReadAsync(HttpContext http, long limit)
    {
        if (http.Request.ContentLength is { } announced && announced > limit)
        {
            // The rest of an over-limit body is not worth reading: the connection closes after the answer.
            http.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionLifetimeNotificationFeature>()?.RequestClose();
            throw TooLarge(limit);
        }
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        // Kestrel's own limit is the largest route's; this route's may be smaller. Kestrel then stops a chunked body at it.
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            // Not RequestAborted: a client that hangs up right after sending still gets its write done (see WritePipeline).
            while ((read = await http.Request.Body.ReadAsync(chunk, CancellationToken.None)) > 0)
            {
                if (buffer.Length + read > limit) throw TooLarge(limit);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        catch (BadHttpRequestException e)
        {
            // Malformed chunked framing, a body shorter than its Content-Length, …: the client's fault, not ours.
            throw ApiError.BadRequestAsWhole("The request body could not be read: " + e.Message, new FieldIssue("", "the body is malformed at the HTTP level"));
        }
        catch (IOException e)
        {
            throw ApiError.BadRequestAsWhole("The request body could not be read: " + e.Message, new FieldIssue("", "the body ended early"));
        }
    }

    private static ApiError TooLarge(long limit) => new(413, ErrorCodes.PayloadTooLarge,
        $"The request body is larger than this route's limit of {limit} bytes", [new FieldIssue("", $"must be at most {limit} bytes")]);
}

/// <summary>
/// Refuses a path or query parameter holding a control character (a decoded %00 included) before anything reads it:
/// no id, filter or label the service stores or looks up can contain one (PostgreSQL cannot even hold a NUL in text).
/// </summary>
public sealed class RequestTextGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (HasControl(context.Request.Path.Value))
        {
            return EnvelopeErrors.WriteAsync(context, ApiError.BadRequest(new FieldIssue("path", "must not contain control characters")));
        }
        foreach (var (name, values) in context.Request.Query)
        {
            if (HasControl(name) || values.Any(HasControl))
            {
                return EnvelopeErrors.WriteAsync(context, ApiError.BadRequest(new FieldIssue(HasControl(name) ? "query" : name, "must not contain control characters")));
            }
        }
        if (CarriesBody(context.Request) && context.GetEndpoint() is { } endpoint
            && endpoint.Metadata.GetMetadata<Features.WriteEndpoint.RequestBodyMetadata>() is null && endpoint.Metadata.GetMetadata<BulkBodyMetadata>() is null)
        {
            // A body on a route that reads none would be ignored silently; a caller who sent one meant something by it.
            return EnvelopeErrors.WriteAsync(context, ApiError.BadRequest(
                new FieldIssue("body", "must be empty: this endpoint takes no request body; send parameters in the query")));
        }
        return next(context);
    }

    private static bool CarriesBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool HasControl(string? text) => text is not null && text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || text?.Contains('\u007F') == true;
}
