using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Partnerships.Application.SideEffects;
using Partnerships.Storage;
using Partnerships.Storage.DataMigrations;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

public sealed record WebhookOptions
{
    /// <summary>Webhooks:AllowPrivateTargets — deliver to loopback/private/link-local addresses (off in production; tests turn it on).</summary>
    public bool AllowPrivateTargets { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Webhooks:ResolveTimeoutSeconds — how long setting a URL waits for its name to resolve before accepting it unchecked (delivery checks it).</summary>
    public TimeSpan ResolveTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Webhooks:DisableAfterFailures — dead-lettered deliveries in a row before an endpoint is disabled.</summary>
    public int DisableAfterFailures { get; init; } = 5;
    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    public TimeSpan RotationOverlap { get; init; } = TimeSpan.FromHours(24);
}

/// <summary>Standard Webhooks signing: <c>v1,</c> + base64 HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c> with the secret after <c>whsec_</c>.</summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
        return "v1," + Convert.ToBase64String(mac);
    }
}

/// <summary>Delivers webhook messages to the platform's endpoint, signed; only a 2xx counts as delivered.</summary>
public sealed class WebhookChannel(Database db, IHttpClientFactory httpClients, WebhookOptions options, TimeProvider clock,
    ILogger<WebhookChannel> logger, SecretBox box) : IDeliveryChannel
{
    public const string HttpClientName = "webhooks";
    public string Name => Channels.Webhook;

    public async Task<DeliveryResult> DeliverAsync(OutboxRow message, CancellationToken ct)
    {
        WebhookEndpointRow? endpoint;
        await using (var s = await DbSession.ReadAsync(db, ct))
        {
            endpoint = await WebhookStore.GetAsync(s, message.PlatformId ?? "");
        }
        if (endpoint is null) return DeliveryResult.Reject("the platform has no webhook endpoint");
        if (endpoint.Status != "enabled") return DeliveryResult.Fail("the webhook endpoint is disabled", TimeSpan.FromMinutes(5));
        // Checked again here (the rules or the setting may have changed since it was set); the addresses are checked on
        // connect, by WebhookConnector, so that what is checked is what the socket connects to.
        if (!WebhookTargets.TryParse(endpoint.Url, options.AllowPrivateTargets, out var target, out var problem)) return DeliveryResult.Reject($"target refused: url {problem}");
        var url = target.Url;

        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var context = SealWebhookSecrets.Context(endpoint.PlatformId);
        var signatures = new List<string> { WebhookSignature.Sign(box.Open(endpoint.Secret, context), message.MessageId, timestamp, message.Payload) };
        if (endpoint.PreviousSecret is not null && endpoint.PreviousSecretExpiresAt is { } expires && Database.ParseTimestamp(expires) > now)
        {
            signatures.Add(WebhookSignature.Sign(box.Open(endpoint.PreviousSecret, context), message.MessageId, timestamp, message.Payload));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", message.MessageId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", string.Join(' ', signatures));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode) return DeliveryResult.Ok;
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } d ? d - now : null)
                : null;
            return DeliveryResult.Fail($"HTTP {(int)response.StatusCode}", retryAfter);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Fail($"timed out after {options.Timeout.TotalSeconds:0}s");
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException refused)
        {
            return DeliveryResult.Reject($"target refused: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Fail(e.Message);
        }
    }

    public async Task OnDeliveredAsync(OutboxRow message, CancellationToken ct)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        await WebhookStore.RecordResultAsync(s, message.PlatformId ?? "", true, options.DisableAfterFailures, null, clock.GetUtcNow());
        await s.CommitAsync(ct);
    }

    /// <summary>An endpoint whose deliveries keep dead-lettering is disabled, and the operators are told (log + operator feed event).</summary>
    public async Task OnDeadLetterAsync(OutboxRow message, string error, CancellationToken ct)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        var now = clock.GetUtcNow();
        await WebhookStore.RecordResultAsync(s, message.PlatformId ?? "", false, options.DisableAfterFailures, $"disabled after repeated failures: {error}", now);
        var endpoint = await WebhookStore.GetAsync(s, message.PlatformId ?? "");
        if (endpoint is { Status: "disabled" } && endpoint.ConsecutiveFailures == options.DisableAfterFailures)
        {
            await EventStore.InsertAsync(s, new EventRow
            {
                EventId = "evt_" + Guid.NewGuid().ToString("N"), Type = "webhook_endpoint.disabled", PlatformId = message.PlatformId,
                Payload = System.Text.Json.JsonSerializer.Serialize(new { platform_parent_account_id = message.PlatformId, url = WebhookAdmin.AuditUrl(endpoint.Url), reason = endpoint.DisabledReason }),
                CreatedAt = Database.Timestamp(now),
            });
            logger.LogError("Webhook endpoint of platform {PlatformId} ({Url}) disabled after {Failures} dead-lettered deliveries",
                message.PlatformId, WebhookAdmin.AuditUrl(endpoint.Url), endpoint.ConsecutiveFailures);
        }
        await s.CommitAsync(ct);
    }
}
