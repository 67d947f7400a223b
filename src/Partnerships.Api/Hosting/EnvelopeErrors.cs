using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>Every error leaves in the envelope: domain rejections, framework errors (404, 405, 413, 415, bad JSON) and crashes (500, no internals).</summary>
public static class EnvelopeErrors
{
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        if (error.Status == 503 && !context.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter))
        {
            // Set here, after the exception handler has cleared the headers, so every 503 says when to come back.
            context.Response.Headers.RetryAfter = AvailabilityServices.StoreRetryAfterSeconds;
        }
        return WriteAsync(context, error.Status, Envelope.Error(error, RequestIds.Of(context)));
    }

    public static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        // The exception handler clears the response's headers; the request id must survive it.
        context.Response.Headers[RequestIdMiddleware.Header] = RequestIds.Of(context);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        await context.Response.WriteAsync(body);
    }

    public static IResult Result(HttpContext context, ApiError error) =>
        new EnvelopeResult(error.Status, Envelope.Error(error, RequestIds.Of(context)),
            error.Status == 503 ? new Dictionary<string, string> { [Microsoft.Net.Http.Headers.HeaderNames.RetryAfter] = AvailabilityServices.StoreRetryAfterSeconds } : null);

    /// <summary>Maps an exception that escaped an endpoint to the envelope.</summary>
    public static ApiError Translate(Exception exception) => exception switch
    {
        ApiError api => api,
        BadHttpRequestException { StatusCode: 413 } => new ApiError(413, ErrorCodes.PayloadTooLarge, "Request body too large"),
        BadHttpRequestException bad => new ApiError(bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), "Bad request: " + bad.Message),
        JsonException json => ApiError.BadRequestAsWhole("Malformed JSON body", new FieldIssue(json.Path ?? "", json.Message)),
        _ when StoreFailures.IsUnavailable(exception) => AvailabilityServices.StoreUnavailable,
        _ => new ApiError(500, ErrorCodes.InternalServerError, "Internal server error"),
    };

    public static void UseEnvelopeErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A store that is down is expected, not a crash: our one warning line below is enough.
            SuppressDiagnosticsCallback = c => StoreFailures.IsUnavailable(c.Exception),
            ExceptionHandler = async context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var error = Translate(exception ?? new InvalidOperationException("unknown"));
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Partnerships.Errors");
                if (ReferenceEquals(error, AvailabilityServices.StoreUnavailable))
                {
                    // Expected while the database restarts: one line, no stack trace.
                    logger.LogWarning("Store unavailable on {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, exception?.Message);
                }
                else if (error.Status >= 500)
                {
                    logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
                }
                await WriteAsync(context, error);
            },
        });

        // Empty framework responses (unknown route 404, wrong method 405, auth challenges) get the envelope too.
        app.UseStatusCodePages(async statusContext =>
        {
            var context = statusContext.HttpContext;
            var status = context.Response.StatusCode;
            var message = status switch
            {
                404 => $"No route matches {context.Request.Method} {context.Request.Path}",
                405 => $"Method {context.Request.Method} is not allowed on {context.Request.Path}",
                415 => "Unsupported media type",
                401 => "Authentication required: send Authorization: Bearer <access token>",
                403 => "Forbidden",
                _ => ReasonPhrase(status),
            };
            await WriteAsync(context, new ApiError(status, ErrorCodes.ForStatus(status), message));
        });
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
}

/// <summary>A pre-rendered JSON body with its status and headers.</summary>
public sealed class EnvelopeResult : IResult
{
    private readonly int _status;
    private readonly byte[] _body;
    private readonly IReadOnlyDictionary<string, string>? _headers;

    public EnvelopeResult(int status, string body, IReadOnlyDictionary<string, string>? headers) :
        this(status, System.Text.Encoding.UTF8.GetBytes(body), headers)
    {
    }

    /// <summary>A body already in UTF-8: a large read is serialised straight to bytes, never held as a string too.</summary>
    public EnvelopeResult(int status, byte[] body, IReadOnlyDictionary<string, string>? headers) => (_status, _body, _headers) = (status, body, headers);

    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = _status;
        if (_headers is not null)
        {
            foreach (var (name, value) in _headers) context.Response.Headers[name] = value;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        // Declared up front: a HEAD then states the same length as its GET without the body being measured again.
        context.Response.ContentLength = _body.Length;
        await context.Response.Body.WriteAsync(_body);
    }

    public static EnvelopeResult Ok(HttpContext context, object data, IReadOnlyDictionary<string, string>? headers = null) =>
        new(200, Envelope.SuccessUtf8(200, RequestIds.Of(context), data), headers);
}
