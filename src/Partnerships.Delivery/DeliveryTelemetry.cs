using System.Diagnostics;

namespace Partnerships.Delivery;

/// <summary>Spans for outbound deliveries: one per outbox message, and SMTP sends (MailKit emits none; HTTP calls get HttpClient's own).</summary>
public static class DeliveryTelemetry
{
    public const string SourceName = "Partnerships.Delivery";

    public static readonly ActivitySource Source = new(SourceName);
}
