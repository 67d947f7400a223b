using Partnerships.Core.Errors;

namespace Partnerships.Api.Hosting;

/// <summary>Expected rejections (ApiError, bad HTTP input) become envelopes here, quietly; only real faults reach the exception handler and its error log.</summary>
public sealed class ApiErrorMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is ApiError or BadHttpRequestException && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await EnvelopeErrors.WriteAsync(context, EnvelopeErrors.Translate(e));
        }
    }
}
