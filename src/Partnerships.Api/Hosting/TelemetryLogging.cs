using Microsoft.Extensions.Logging.Console;
using Partnerships.Api.Auth;
using Partnerships.Application;
using Partnerships.Application.Pipeline;

namespace Partnerships.Api.Hosting;

/// <summary>
/// The console log: one line per entry, UTC timestamps, scopes (the request id) included. <c>Logging:Format</c>
/// (<c>text</c>, the default, for a person; <c>json</c> for a collector) or the standard
/// <c>Logging:Console:FormatterName</c> (<c>simple</c> | <c>json</c> | <c>systemd</c>) picks the formatter.
/// </summary>
public static class ServiceConsoleLog
{
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static void AddServiceConsole(this ILoggingBuilder logging, IConfiguration config)
    {
        var format = (config["Logging:Format"] ?? config["Logging:Console:FormatterName"] ?? "text").Trim().ToLowerInvariant();
        switch (format)
        {
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.TimestampFormat = Timestamp;
                    o.UseUtcTimestamp = true;
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
                break;
            case "systemd":
                logging.AddSystemdConsole(o => { o.IncludeScopes = true; o.UseUtcTimestamp = true; });
                break;
            case "text" or "simple":
                logging.AddSimpleConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.SingleLine = true;
                    o.TimestampFormat = Timestamp + " ";
                    o.UseUtcTimestamp = true;
                });
                break;
            default:
                throw new InvalidOperationException($"Logging:Format '{format}' is not supported; use 'text' or 'json'.");
        }
        // ASP.NET Core's own request lines and scope carry the raw path and query string; the access line (RequestRecord)
        // replaces them with the route template.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // Whichever formatter was chosen above wins over a FormatterName bound from configuration.
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = format switch
        {
            "json" => ConsoleFormatterNames.Json, "systemd" => ConsoleFormatterNames.Systemd, _ => ConsoleFormatterNames.Simple,
        });
    }
}

/// <summary>
/// What every request leaves behind when it ends: its access line and, for a partner write, its outcome counted. The line
/// names the route template, never the path (which holds ids a person may have typed), and no query, body, header or
/// address.
/// </summary>
public static partial class RequestRecord
{
    public static void Write(ILogger logger, HttpContext http, double elapsedMs)
    {
        var endpoint = http.GetEndpoint() as RouteEndpoint;
        var write = endpoint?.Metadata.GetMetadata<Features.WriteEndpoint.WriteRouteMetadata>() is not null;
        var log = logger.IsEnabled(LogLevel.Information);
        if (!write && !log) return; // a read with the access line off costs nothing more
        var route = RouteOf(endpoint);
        if (write)
        {
            ServiceMetrics.Writes.Add(1, new KeyValuePair<string, object?>("outcome", WriteOutcome(http.Response)),
                new KeyValuePair<string, object?>("route", route));
        }
        if (log)
        {
            Access(logger, http.Request.Method, route, http.Response.StatusCode, elapsedMs, http.TraceIdentifier,
                http.User.FindFirst(Partner.PlatformClaim)?.Value ?? "-");
        }
    }

    private static string RouteOf(RouteEndpoint? endpoint) => endpoint?.RoutePattern.RawText switch
    {
        null => "(unmatched)",
        ['/', ..] and var raw => raw,
        var raw => "/" + raw,
    };

    /// <summary>committed, dry_run, replayed, rejected or rate_limited, read off the write's response.</summary>
    public static string WriteOutcome(HttpResponse response) => response.StatusCode switch
    {
        429 => "rate_limited",
        _ when response.Headers.ContainsKey(HeaderNames.IdempotentReplayed) => "replayed",
        >= 400 => "rejected",
        _ when response.Headers.ContainsKey(HeaderNames.DryRun) => "dry_run",
        _ => "committed",
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{method} {route} answered {status} in {duration_ms:0.0} ms (request_id {request_id}, platform {platform})")]
    private static partial void Access(ILogger logger, string method, string route, int status, double duration_ms, string request_id, string platform);
}
