using System.Text.Json;
using Partnerships.Application.Pipeline;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.SideEffects;

/// <summary>
/// Writes a committed write's side effects into the same transaction as the change: one row per event in the
/// ordered downstream feed, a webhook for the platform's endpoint, and the emails the event calls for.
/// The dispatcher delivers the outbox afterwards; nothing here talks to the network.
/// </summary>
public sealed class SideEffectRecorder(SideEffectOptions options)
{
    public async Task RecordAsync(DbSession s, WriteRequest request, string operationId, IReadOnlyList<DomainEvent> events, DateTimeOffset now)
    {
        if (events.Count == 0) return;
        await RecordAsync(s, request, operationId, events, now, await WebhookStore.GetAsync(s, request.PlatformId));
    }

    /// <summary>The same, with the platform's webhook endpoint already read in this transaction.</summary>
    public async Task RecordAsync(DbSession s, WriteRequest request, string operationId, IReadOnlyList<DomainEvent> events, DateTimeOffset now,
        WebhookEndpointRow? endpoint)
    {
        if (events.Count == 0) return;
        var at = Database.Timestamp(now);
        foreach (var e in events)
        {
            var eventId = "evt_" + Guid.NewGuid().ToString("N");
            var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["id"] = eventId, ["type"] = e.Type, ["created_at"] = at, ["platform_parent_account_id"] = request.PlatformId,
                ["account_id"] = e.AccountId, ["operation_id"] = operationId, ["data"] = e.Data,
            }, Envelope.Json);
            await EventStore.QueueInsertAsync(s, new EventRow
            {
                EventId = eventId, Type = e.Type, PlatformId = request.PlatformId, AccountId = e.AccountId, OperationId = operationId,
                Payload = payload, CreatedAt = at,
            });
            if (endpoint is { Status: "enabled" })
            {
                await Enqueue(s, Channels.Webhook, e.Type, request, e.AccountId, operationId, payload, at, "msg_" + Guid.NewGuid().ToString("N"));
            }
            foreach (var email in Emails(e, request))
            {
                await Enqueue(s, Channels.Email, email.Template, request, e.AccountId, operationId, JsonSerializer.Serialize(email, Envelope.Json), at,
                    "eml_" + Guid.NewGuid().ToString("N"));
            }
        }
    }

    private IEnumerable<EmailMessage> Emails(DomainEvent e, WriteRequest request)
    {
        var model = JsonSerializer.SerializeToElement(e.Data, Envelope.Json);
        var contact = model.TryGetProperty("contact_email", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        switch (e.Type)
        {
            case EventTypes.AccountRegistered:
                if (contact is not null) yield return new EmailMessage(contact, "merchant-welcome", model);
                if (options.OperatorEmail is { } ops) yield return new EmailMessage(ops, "operator-registration", model);
                break;
            case EventTypes.AccountStatusUpdated:
                if (contact is not null) yield return new EmailMessage(contact, "merchant-status", model);
                break;
        }
    }

    private static ValueTask Enqueue(DbSession s, string channel, string topic, WriteRequest request, string? accountId, string operationId,
        string payload, string at, string messageId) => OutboxStore.QueueInsertAsync(s, new OutboxRow
    {
        MessageId = messageId, Channel = channel, Topic = topic, PlatformId = request.PlatformId, AccountId = accountId,
        OperationId = operationId, Payload = payload, NextAttemptAt = at, CreatedAt = at,
    });
}

/// <summary>An email to send: the recipient, the template's name (a file under Templates/Email) and the model it renders.</summary>
public sealed record EmailMessage(string To, string Template, JsonElement Model);
