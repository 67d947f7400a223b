using System.Text.Json;
using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>One audit entry: a partner write (with its hashes) or an operator action (with its actor, target and summaries).</summary>
public sealed record AuditEntryView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("at")] string At,
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("platform_id")] string? PlatformId,
    [property: JsonPropertyName("credential_id")] string? CredentialId,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] long Status,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("dry_run")] bool DryRun,
    [property: JsonPropertyName("idempotency_key")] string? IdempotencyKey,
    [property: JsonPropertyName("hash_before")] string? HashBefore,
    [property: JsonPropertyName("hash_after")] string? HashAfter,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("actor")] string? Actor,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("target")] string? Target,
    [property: JsonPropertyName("before"), System.ComponentModel.Description("A JSON summary of the target before the action.")] JsonElement? Before,
    [property: JsonPropertyName("after"), System.ComponentModel.Description("A JSON summary of the target after the action.")] JsonElement? After)
{
    public static AuditEntryView From(AuditRow a) => new(a.Id, a.At, a.RequestId, a.PlatformId, a.CredentialId, a.AccountId,
        a.Method, a.Path, a.StatusCode, a.Outcome, a.DryRun == 1, a.IdemKey, a.HashBefore, a.HashAfter, a.Summary,
        a.Actor, a.Action, a.Target, StoredSummary(a.BeforeSummary), StoredSummary(a.AfterSummary));

    /// <summary>Before/after summaries are stored as JSON text and shown as JSON (text that is not JSON, as a string).</summary>
    private static JsonElement? StoredSummary(string? stored)
    {
        if (stored is null) return null;
        try { return JsonDocument.Parse(stored).RootElement.Clone(); }
        catch (JsonException) { return JsonSerializer.SerializeToElement(stored); }
    }
}
