using System.Diagnostics.Metrics;

namespace Partnerships.Application;

/// <summary>The service's own instruments (exported by the host with ASP.NET Core's and the rate limiter's; docs/operations.md).</summary>
public static class ServiceMetrics
{
    public const string MeterName = "Partnerships";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Partner writes by outcome (committed, dry_run, replayed, rejected, rate_limited) and route template.</summary>
    public static readonly Counter<long> Writes = Meter.CreateCounter<long>("partnerships.writes", "{write}",
        "Partner writes by outcome and route");

    /// <summary>Delivery attempts by channel (webhook, email, payout) and outcome (delivered, failed: retried later, dead: given up).</summary>
    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("partnerships.deliveries", "{delivery}",
        "Delivery attempts by channel and outcome");

    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public const string Dead = "dead";

    public static void Delivery(string channel, string outcome) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));
}
