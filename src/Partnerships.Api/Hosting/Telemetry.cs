using System.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Partnerships.Api.Auth;
using Partnerships.Application;
using Partnerships.Application.Pipeline;
using Partnerships.Delivery;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics, the Prometheus scrape at /metrics (admin key), the health probes and the console
/// log format. See docs/operations.md ("Telemetry and health") and docs/decisions/0027-telemetry-and-health.md.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>The span tags the service adds (request spans; writes also carry their operation).</summary>
    public const string RequestIdTag = "partnerships.request_id";
    public const string OperationIdTag = "partnerships.operation_id";
    public const string PlatformTag = "partnerships.platform";

    public static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = TelemetryOptions.From(builder.Configuration);
        builder.Logging.AddServiceConsole(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddServiceHealthChecks(options);
        if (!options.Tracing && !options.Metrics) return;

        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.ServiceName));
        if (options.Tracing)
        {
            StoreTelemetry.TraceSqliteStatements = true;
            otel.WithTracing(t =>
            {
                t.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)));
                t.AddAspNetCoreInstrumentation(o =>
                {
                    // Probes and scrapes come every few seconds and say nothing about partners' calls; they still count in the metrics.
                    o.Filter = http => !IsProbe(http.Request.Path);
                    o.EnrichWithHttpResponse = Enrich;
                });
                t.AddHttpClientInstrumentation();
                t.AddSource(StoreTelemetry.SourceName, "Npgsql", DeliveryTelemetry.SourceName);
                if (options.OtlpEndpoint is { } endpoint) t.AddOtlpExporter(o => o.Endpoint = endpoint);
                else if (options.OtlpFromEnvironment) t.AddOtlpExporter();
            });
        }
        if (options.Metrics)
        {
            services.AddSingleton(new OutboxGaugeOptions { Refresh = options.OutboxGaugeRefresh });
            services.AddHostedService<OutboxGauges>();
            otel.WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation();
                m.AddHttpClientInstrumentation();
                m.AddMeter(ServiceMetrics.MeterName, RateLimiting.RateLimitMetrics.MeterName);
                m.AddPrometheusExporter();
                if (options.OtlpEndpoint is { } endpoint) m.AddOtlpExporter(o => o.Endpoint = endpoint);
                else if (options.OtlpFromEnvironment) m.AddOtlpExporter();
            });
        }
    }

    private static bool IsProbe(PathString path) =>
        path.Equals(MetricsPath, StringComparison.Ordinal) || path.Equals(ServiceHealth.LivePath, StringComparison.Ordinal)
        || path.Equals(ServiceHealth.ReadyPath, StringComparison.Ordinal);

    /// <summary>Runs only for a recorded span, once the response is known: the request id, the platform, a write's operation.</summary>
    private static void Enrich(Activity activity, HttpResponse response)
    {
        var http = response.HttpContext;
        activity.SetTag(RequestIdTag, http.TraceIdentifier);
        if (http.User.FindFirst(Partner.PlatformClaim)?.Value is { } platform) activity.SetTag(PlatformTag, platform);
        if (response.Headers.TryGetValue(HeaderNames.OperationId, out var operation)) activity.SetTag(OperationIdTag, operation.ToString());
    }

    /// <summary>/metrics (Prometheus text), /healthz and /readyz; none of them in the OpenAPI document.</summary>
    public static void MapTelemetry(this WebApplication app)
    {
        app.MapServiceHealthChecks();
        if (!app.Services.GetRequiredService<TelemetryOptions>().Metrics) return;
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: RequireAdminKey, optionsName: null)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>The admin routes' own check (AdminAuthFilter): 401 without a key, 403 for a partner token, refusals audited; a scrape itself is not.</summary>
    private static void RequireAdminKey(IApplicationBuilder branch) => branch.Use(async (HttpContext http, RequestDelegate next) =>
    {
        var (_, refusal) = await http.RequestServices.GetRequiredService<AdminAuthFilter>().AuthenticateAsync(http);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}
