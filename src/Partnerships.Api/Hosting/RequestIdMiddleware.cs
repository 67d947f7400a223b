namespace Partnerships.Api.Hosting;

/// <summary>Gives each request a UUID, sends it as X-Request-Id and puts it on every log line written while the request runs.</summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.TraceIdentifier = requestId;
        context.Response.Headers[Header] = requestId;
        // A message-template scope prints as "request_id:<uuid>" in the console formatter and stays a structured field elsewhere.
        using (logger.BeginScope("request_id:{request_id}", requestId))
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                // One access line per request, carrying the same request_id as every other line of it (and the write's outcome counted).
                RequestRecord.Write(logger, context, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}

public static class RequestIds
{
    public static string Of(HttpContext context) => context.TraceIdentifier;
}
