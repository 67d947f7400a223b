using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Features.PrivacyRequests;
using Partnerships.Application.Operators;
using Partnerships.Application.SideEffects;
using Partnerships.Storage;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

public sealed record PrivacyPipelineOptions
{
    /// <summary>Privacy:PipelineUrl — where the network's privacy pipeline takes requests (an operator's own, trusted endpoint).</summary>
    public Uri? Url { get; init; }
    /// <summary>Privacy:PipelineSecret — a whsec_ secret; when set, deliveries are signed as webhooks are (Standard Webhooks).</summary>
    public string? Secret { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Privacy:PurgeIntervalSeconds — how often the sealed identifiers past their retention window are erased.</summary>
    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Delivers network privacy requests to the network's privacy pipeline. The outbox message holds the event without the
/// identifier; the identifier is opened from the request's sealed copy at send time, so it is in clear only in this
/// process's memory and on the wire to the pipeline. A 2xx means the pipeline holds the request: its sealed copy is erased.
/// </summary>
public sealed class PrivacyPipelineChannel(Database db, IHttpClientFactory httpClients, PrivacyPipelineOptions options, SecretBox box,
    TimeProvider clock) : IDeliveryChannel
{
    public const string HttpClientName = "privacy-pipeline";
    public string Name => Channels.PrivacyPipeline;

    public async Task<DeliveryResult> DeliverAsync(OutboxRow message, CancellationToken ct)
    {
        var payload = JsonNode.Parse(message.Payload)!.AsObject();
        var requestId = payload["data"]?["request_id"]?.GetValue<string>() ?? "";
        PrivacyRequestRow? row;
        await using (var s = await DbSession.ReadAsync(db, ct))
        {
            row = await PrivacyRequestStore.GetAsync(s, requestId);
        }
        if (row is null) return DeliveryResult.Reject($"privacy request {requestId} does not exist");
        if (row.SealedIdentifier is null)
        {
            // Taken already (delivered by an earlier attempt, or acknowledged out of band): nothing is left to send.
            return row.Status is PrivacyRequestStore.Delivered or PrivacyRequestStore.Acknowledged
                ? DeliveryResult.Ok
                : DeliveryResult.Reject($"the identifier was erased before delivery (request {row.Status})");
        }
        if (options.Url is null) return DeliveryResult.Fail("no privacy pipeline is configured (Privacy:PipelineUrl)", TimeSpan.FromMinutes(5));

        payload["data"]!["identifier"] = box.Open(row.SealedIdentifier, SubmitNetworkPrivacyRequest.SealContext(row.Id));
        var body = payload.ToJsonString(Partnerships.Application.Pipeline.Envelope.Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (options.Secret is { } secret)
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Add("webhook-id", message.MessageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, message.MessageId, timestamp, body));
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode) return DeliveryResult.Ok;
            return DeliveryResult.Fail($"HTTP {(int)response.StatusCode}", response.Headers.RetryAfter?.Delta);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Fail($"timed out after {options.Timeout.TotalSeconds:0}s");
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Fail(e.Message);
        }
    }

    public async Task OnDeliveredAsync(OutboxRow message, CancellationToken ct)
    {
        var requestId = JsonDocument.Parse(message.Payload).RootElement.GetProperty("data").GetProperty("request_id").GetString()!;
        await using var s = await DbSession.WriteAsync(db, ct);
        await PrivacyRequestStore.MarkDeliveredAsync(s, requestId, clock.GetUtcNow());
        await s.CommitAsync(ct);
    }
}

/// <summary>Erases the sealed identifiers of requests the pipeline never took within the retention window (Privacy:RetentionDays).</summary>
public sealed class PrivacyRetention(PrivacyRequestAdmin requests, PrivacyPipelineOptions options, ILogger<PrivacyRetention> logger) : PollingWorker(logger)
{
    protected override bool Enabled => true;
    protected override TimeSpan Poll => options.PurgeInterval;
    protected override string Work => "Privacy request purge";

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var erased = await requests.ExpireAsync(ct);
        if (erased > 0) Logger.LogInformation("Erased the sealed identifiers of {Count} privacy requests past their retention window", erased);
        return erased;
    }
}
