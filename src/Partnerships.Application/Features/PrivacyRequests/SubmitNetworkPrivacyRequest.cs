using System.Text.Json;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Errors;
using Partnerships.Core.Json;
using Partnerships.Storage;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.PrivacyRequests;

/// <summary>One privacy request as the route read it, stripped of HTTP.</summary>
public sealed record PrivacySubmission(string RequestId, string PlatformId, string? CredentialId, string Method, string Path,
    IReadOnlyList<string?> ParentAccountIds, bool DryRun, JsonElement Body)
{
    /// <summary>A problem found reading the HTTP request (media type, size, malformed JSON, dry_run), raised after tenancy so it is audited like any refusal.</summary>
    public ApiError? InputError { get; init; }
}

public sealed record PrivacyRequestOptions
{
    /// <summary>Privacy:RetentionDays — the longest a sealed identifier is kept when the pipeline never takes the request.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(30);
}

/// <summary>
/// POST /v1/partnership/network-privacy-requests. Not a pipeline write: no operation, no Idempotency-Key (ignored when sent),
/// no dry-run (a rehearsal of a privacy request is refused: it must not submit). One transaction stores the request (keyed
/// hash + sealed identifier), the downstream event (hash only), the pipeline's outbox message (request id only) and the
/// audit entry (hash only). Every attempt past authentication leaves an audit entry; a refusal stores nothing else.
/// </summary>
public sealed class SubmitNetworkPrivacyRequest(Database db, TimeProvider clock, SecretBox box, PrivacyIdentifierHash hash,
    PrivacyRequestOptions options, ILogger<SubmitNetworkPrivacyRequest> logger)
{
    public const string ParentAccountIdParameter = "parent_account_id";

    public async Task<NetworkPrivacyRequestView> HandleAsync(PrivacySubmission submission)
    {
        var now = clock.GetUtcNow();
        try
        {
            CheckParentAccount(submission);
            if (submission.DryRun) throw ApiError.Field("dry_run", "this endpoint does not support dry-run; nothing was submitted");
            if (submission.InputError is { } inputError) throw inputError;
            var input = NetworkPrivacyRequestParser.Parse(submission.Body);
            return await SubmitAsync(submission, input, now);
        }
        catch (ApiError error)
        {
            await RecordRefusalAsync(submission, error, now);
            throw;
        }
    }

    /// <summary>The sealed identifier opens only as this request's (the row id is the associated data).</summary>
    public static string SealContext(string requestId) => "network_privacy_request:" + requestId;

    private static void CheckParentAccount(PrivacySubmission submission)
    {
        var values = submission.ParentAccountIds;
        if (values.Count > 1)
        {
            throw ApiError.BadRequest(new FieldIssue(ParentAccountIdParameter, "must be sent exactly once"));
        }
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            throw ApiError.Field(ParentAccountIdParameter, "is required (your platform's id)");
        }
        if (values[0] != submission.PlatformId) throw Tenancy.PlatformMismatch(ParentAccountIdParameter);
    }

    private async Task<NetworkPrivacyRequestView> SubmitAsync(PrivacySubmission submission, PrivacyRequestInput input, DateTimeOffset now)
    {
        var id = Guid.NewGuid().ToString();
        var at = Database.Timestamp(now);
        var identifierHash = hash.Of(input.Kind, input.Identifier);
        var kind = WireEnum<IdentifierKind>.Name(input.Kind);
        var type = WireEnum<PrivacyRequestType>.Name(input.RequestType);
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = eventId, ["type"] = EventTypes.NetworkPrivacyRequestSubmitted, ["created_at"] = at,
            ["platform_parent_account_id"] = submission.PlatformId, ["account_id"] = null, ["operation_id"] = null,
            ["data"] = new PrivacyEventData(id, type, kind, identifierHash),
        }, Envelope.Json);

        await using var s = await DbSession.WriteAsync(db);
        await PrivacyRequestStore.InsertAsync(s, new PrivacyRequestRow
        {
            Id = id, PlatformId = submission.PlatformId, RequestType = type, IdentifierKind = kind, IdentifierHash = identifierHash,
            SealedIdentifier = box.Seal(input.Identifier, SealContext(id)), Status = PrivacyRequestStore.Submitted,
            RequestId = submission.RequestId, CreatedAt = at, EraseBy = Database.Timestamp(now + options.Retention),
        });
        await EventStore.InsertAsync(s, new EventRow
        {
            EventId = eventId, Type = EventTypes.NetworkPrivacyRequestSubmitted, PlatformId = submission.PlatformId, Payload = payload, CreatedAt = at,
        });
        await OutboxStore.InsertAsync(s, new OutboxRow
        {
            MessageId = "prv_" + Guid.NewGuid().ToString("N"), Channel = Channels.PrivacyPipeline, Topic = EventTypes.NetworkPrivacyRequestSubmitted,
            PlatformId = submission.PlatformId, Payload = payload, NextAttemptAt = at, CreatedAt = at,
        });
        await AuditStore.InsertAsync(s, Audit(submission, now, 202, "committed",
            $"network privacy request {id}: {type} by {kind}, identifier hash {identifierHash}"));
        await s.CommitAsync();
        return new NetworkPrivacyRequestView(id, NetworkPrivacyRequestView.Submitted);
    }

    /// <summary>The refusal stands even if its audit entry cannot be written (the store is down, say); it is logged instead.</summary>
    private async Task RecordRefusalAsync(PrivacySubmission submission, ApiError error, DateTimeOffset now)
    {
        try
        {
            await using var s = await DbSession.WriteAsync(db);
            await AuditStore.InsertAsync(s, Audit(submission, now, error.Status, "rejected", $"{error.Code}: {error.Message}"));
            await s.CommitAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not record the refused privacy request {RequestId}", submission.RequestId);
        }
    }

    private static AuditRow Audit(PrivacySubmission submission, DateTimeOffset now, int status, string outcome, string summary) => new()
    {
        At = Database.Timestamp(now), RequestId = submission.RequestId, PlatformId = submission.PlatformId, CredentialId = submission.CredentialId,
        Method = submission.Method, Path = submission.Path, StatusCode = status, Outcome = outcome, DryRun = submission.DryRun ? 1 : 0, Summary = summary,
    };
}

/// <summary>The event's data: what the feed and the outbox keep. The identifier itself is never in it.</summary>
public sealed record PrivacyEventData(
    [property: System.Text.Json.Serialization.JsonPropertyName("request_id")] string RequestId,
    [property: System.Text.Json.Serialization.JsonPropertyName("request_type")] string RequestType,
    [property: System.Text.Json.Serialization.JsonPropertyName("identifier_kind")] string IdentifierKind,
    [property: System.Text.Json.Serialization.JsonPropertyName("identifier_hash")] string IdentifierHash);
