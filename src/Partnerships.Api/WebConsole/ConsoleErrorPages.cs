using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Partnerships.Api.Hosting;
using Partnerships.Storage;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// Console answers are HTML, errors included: under /console the API's JSON status pages are switched off, an empty
/// error answer (an unknown page, a refused anti-forgery token) gets a small HTML page, and a fault is logged and shown
/// as one, without internals. Everything outside /console is left to the API's envelope.
/// </summary>
public sealed class ConsoleErrorPages(RequestDelegate next, ILogger<ConsoleErrorPages> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var unavailable = StoreFailures.IsUnavailable(e);
            if (unavailable) logger.LogWarning("Store unavailable on console {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            else logger.LogError(e, "Unhandled exception on console {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await WriteAsync(context, unavailable ? 503 : 500);
            return;
        }
        if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentType is null)
        {
            await WriteAsync(context, context.Response.StatusCode);
        }
    }

    private static Task WriteAsync(HttpContext context, int status)
    {
        var (title, text) = status switch
        {
            400 => ("Request refused", "The form was sent without a valid anti-forgery token, or it was malformed. Go back, reload the page and send it again."),
            403 => ("Not allowed", "This page is not open to the session you are signed in with."),
            404 => ("Page not found", $"No console page answers {context.Request.Path}."),
            405 => ("Method not allowed", $"{context.Request.Method} is not accepted here."),
            503 => ("Store unavailable", "The service cannot reach its store right now. Try again in a few seconds."),
            _ => ("Something went wrong", "The service could not show this page. The fault is logged with the request id below."),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var requestId = WebUtility.HtmlEncode(RequestIds.Of(context));
        return context.Response.WriteAsync($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{title}} · Partnerships console</title><link rel="stylesheet" href="/console/static/console.css"></head>
            <body><main id="main" class="error-page"><h1>{{title}}</h1><p>{{WebUtility.HtmlEncode(text)}}</p>
            <p class="muted">Status {{status}} · request id <code>{{requestId}}</code></p><p><a href="/console">Back to the console</a></p></main></body></html>
            """);
    }
}
