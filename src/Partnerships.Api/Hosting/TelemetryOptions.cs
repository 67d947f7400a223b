namespace Partnerships.Api.Hosting;

/// <summary>
/// <c>Telemetry:*</c> (docs/operations.md, "Telemetry and health"). Production defaults: traces and metrics on, every
/// trace sampled, no export until an OTLP endpoint is configured, /metrics for admin keys.
/// </summary>
public sealed record TelemetryOptions
{
    /// <summary>Telemetry:Tracing — spans for requests, store commands and deliveries.</summary>
    public bool Tracing { get; init; } = true;
    /// <summary>Telemetry:Metrics — the meters, and the Prometheus scrape at /metrics.</summary>
    public bool Metrics { get; init; } = true;
    /// <summary>Telemetry:TraceSampleRatio — the share of traces started here that are recorded (a caller's sampled traceparent is followed).</summary>
    public double TraceSampleRatio { get; init; } = 1.0;
    /// <summary>Telemetry:OtlpEndpoint — where to send traces and metrics by OTLP; else the standard OTEL_EXPORTER_OTLP_ENDPOINT; else nowhere.</summary>
    public Uri? OtlpEndpoint { get; init; }
    /// <summary>No Telemetry:OtlpEndpoint, but OTEL_EXPORTER_OTLP_ENDPOINT is set: the exporter reads it (and OTEL_EXPORTER_OTLP_PROTOCOL) itself.</summary>
    public bool OtlpFromEnvironment { get; init; }
    public bool ExportsOtlp => OtlpEndpoint is not null || OtlpFromEnvironment;
    /// <summary>Telemetry:ServiceName — service.name of the exported resource.</summary>
    public string ServiceName { get; init; } = "partnerships-api";
    /// <summary>Telemetry:OutboxGaugeSeconds — how often the outbox gauges are counted in the background.</summary>
    public TimeSpan OutboxGaugeRefresh { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Telemetry:HealthCheckTimeoutSeconds — the bound on each readiness check.</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public static TelemetryOptions From(IConfiguration config)
    {
        var ratio = config.GetValue("Telemetry:TraceSampleRatio", 1.0);
        if (ratio is < 0 or > 1 || double.IsNaN(ratio))
        {
            throw new InvalidOperationException($"Telemetry:TraceSampleRatio '{ratio}' must be between 0 and 1.");
        }
        var endpoint = config["Telemetry:OtlpEndpoint"];
        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(endpoint) && !Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out otlp))
        {
            throw new InvalidOperationException($"Telemetry:OtlpEndpoint '{endpoint}' is not an absolute URL (e.g. http://collector:4317).");
        }
        return new TelemetryOptions
        {
            Tracing = config.GetValue("Telemetry:Tracing", true),
            Metrics = config.GetValue("Telemetry:Metrics", true),
            TraceSampleRatio = ratio,
            OtlpEndpoint = otlp,
            OtlpFromEnvironment = otlp is null && !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]),
            ServiceName = config["Telemetry:ServiceName"] is { Length: > 0 } name ? name : "partnerships-api",
            OutboxGaugeRefresh = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Telemetry:OutboxGaugeSeconds", 15.0))),
            HealthCheckTimeout = TimeSpan.FromSeconds(Math.Max(0.1, config.GetValue("Telemetry:HealthCheckTimeoutSeconds", 2.0))),
        };
    }
}
