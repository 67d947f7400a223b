using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Partnerships.Core.Errors;
using Partnerships.Core.Json;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Pipeline;

/// <summary>
/// The one path every write takes: tenancy → Idempotency-Key check and replay → one transaction → handler →
/// commit (or discard, for a dry-run) with the idempotency record, the operation and the audit entry in that same
/// transaction. A dry-run runs the very same handler inside a savepoint and rolls it back.
/// </summary>
public sealed class WritePipeline(Database db, TimeProvider clock, PipelineOptions options, SideEffects.SideEffectRecorder sideEffects,
    ILogger<WritePipeline> logger)
{
    private const string HandlerSavepoint = "handler";

    public async Task<WriteResult> ExecuteAsync(WriteRequest request, WriteHandler handler, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var operationId = request.DryRun ? null : Guid.NewGuid().ToString();
        try
        {
            return await RunAsync(request, handler, operationId, now, ct);
        }
        catch (ApiError error)
        {
            return await RejectAsync(request, operationId, now, error, ct);
        }
    }

    // Database.WriteAsync: on SQLite the write is one savepoint of a group-committed batch, answered once the batch is durable.
    private Task<WriteResult> RunAsync(WriteRequest request, WriteHandler handler, string? operationId, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(session => RunInAsync(session, request, handler, operationId, now, ct), ct);

    private async Task<WriteResult> RunInAsync(DbSession session, WriteRequest request, WriteHandler handler, string? operationId, DateTimeOffset now,
        CancellationToken ct)
    {
        // Tenancy first, under the row lock that also serialises every write (and every same-key retry) on this account. The
        // key's record and the webhook endpoint are read in the same round trip, after the lock; they are used only once the
        // checks below have passed in their usual order.
        var scope = request.AccountId ?? "";
        var start = await WriteStartStore.LockAndReadAsync(session, request.Route.AccountScoped ? request.AccountId! : null, request.PlatformId,
            scope, LookupKey(request), withControls: request.Route.ReadsControls);
        AccountRow? account = null;
        if (request.Route.AccountScoped)
        {
            account = start.Account;
            Tenancy.Check(account, request.AccountId!, request.PlatformId);
        }
        else
        {
            Tenancy.CheckBodyPlatform(request);
        }

        // After tenancy, so a rehearsal aimed at someone else's account is refused (403/404) like any other call. Nothing is
        // recorded as an operation: the caller asked for a rehearsal this route cannot give.
        if (request.DryRun && !request.Route.SupportsDryRun)
        {
            throw ApiError.Field("dry_run", "this endpoint does not support dry-run; nothing was done");
        }

        var key = ValidateKey(request);
        if (request.InputError is { } inputError)
        {
            throw inputError;
        }
        var fingerprint = Fingerprint(request);
        if (key is not null)
        {
            var cached = start.Cached;
            if (cached is not null && Database.ParseTimestamp(cached.ExpiresAt) > now)
            {
                if (cached.Fingerprint != fingerprint)
                {
                    throw ApiError.Validation(
                        "Idempotency-Key was already used with a different request; use a fresh key for a different payload",
                        new FieldIssue("Idempotency-Key", "reused with a different method, path or body"));
                }
                await AuditStore.QueueInsertAsync(session, Audit(request, now, (int)cached.StatusCode, "replayed", request.AccountId, null, null,
                    cached.DryRun == 1 ? "replayed a cached dry-run response" : "replayed a cached response"));
                await session.CommitAsync(ct);
                return Replay(cached);
            }
        }

        // Only a rehearsal returns to the savepoint; a real write that fails rolls the whole transaction back.
        if (request.DryRun) await session.SavepointAsync(HandlerSavepoint, ct);
        var context = new WriteContext
        {
            Session = session, Request = request, Now = now, Account = account, OperationId = operationId, Controls = start.Controls,
        };
        var outcome = await handler(context);
        var accountId = request.AccountId ?? outcome.CreatedAccountId;
        var body = Envelope.Success(outcome.Status, request.RequestId, outcome.Data);

        var headers = new Dictionary<string, string>();
        if (outcome.ETag is not null) headers[HeaderNames.ETag] = outcome.ETag;

        if (request.DryRun)
        {
            await session.RollbackToSavepointAsync(HandlerSavepoint, ct);
            headers[HeaderNames.DryRun] = "true";
        }
        else
        {
            headers[HeaderNames.OperationId] = operationId!;
            await OperationStore.QueueInsertAsync(session, new OperationRow
            {
                Id = operationId!, PlatformId = request.PlatformId, AccountId = accountId, Type = request.Route.OperationType,
                Status = outcome.OperationStatus, RequestId = request.RequestId, ResponseStatus = outcome.Status, ResponseBody = body,
                CreatedAt = Database.Timestamp(now), UpdatedAt = Database.Timestamp(now),
            });
            await sideEffects.RecordAsync(session, request, operationId!, context.Events, now, start.Webhook);
        }

        if (key is not null)
        {
            await IdempotencyStore.QueueSaveAsync(session, new IdempotencyRow
            {
                PlatformId = request.PlatformId, Scope = scope, IdemKey = key, Fingerprint = fingerprint, StatusCode = outcome.Status,
                ResponseBody = body, ResponseHeaders = JsonSerializer.Serialize(headers), DryRun = request.DryRun ? 1 : 0,
                OperationId = operationId, CreatedAt = Database.Timestamp(now), ExpiresAt = Database.Timestamp(now + options.IdempotencyTtl),
            });
        }
        await AuditStore.QueueInsertAsync(session, Audit(request, now, outcome.Status, request.DryRun ? "dry_run" : "committed", accountId,
            outcome.HashBefore, outcome.HashAfter, outcome.Summary));
        await session.CommitAsync(ct);
        return new WriteResult(outcome.Status, body, headers);
    }

    /// <summary>A rejection commits nothing of the write; a real write still gets its failed operation, and every attempt its audit entry.</summary>
    internal async Task<WriteResult> RejectAsync(WriteRequest request, string? operationId, DateTimeOffset now, ApiError error, CancellationToken ct)
    {
        var body = Envelope.Error(error, request.RequestId);
        var headers = new Dictionary<string, string>();
        var unsupportedDryRun = request.DryRun && !request.Route.SupportsDryRun;
        try
        {
            await db.WriteAsync(session => RecordRejectionAsync(session, request, operationId, now, error, body, headers, unsupportedDryRun, ct), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The rejection itself stands; losing its bookkeeping must not turn a 4xx into a 500.
            logger.LogError(e, "Could not record the rejected write {RequestId}", request.RequestId);
            headers.Remove(HeaderNames.OperationId);
        }
        return new WriteResult(error.Status, body, headers);
    }

    private static async Task<bool> RecordRejectionAsync(DbSession session, WriteRequest request, string? operationId, DateTimeOffset now, ApiError error,
        string body, Dictionary<string, string> headers, bool unsupportedDryRun, CancellationToken ct)
    {
        if (operationId is not null && !unsupportedDryRun)
        {
            headers[HeaderNames.OperationId] = operationId;
            await OperationStore.QueueInsertAsync(session, new OperationRow
            {
                Id = operationId, PlatformId = request.PlatformId, AccountId = error.Status is 404 ? null : request.AccountId,
                Type = request.Route.OperationType, Status = "failed", RequestId = request.RequestId, ResponseStatus = error.Status,
                ResponseBody = body, Error = Envelope.StoredError(error),
                CreatedAt = Database.Timestamp(now), UpdatedAt = Database.Timestamp(now),
            });
        }
        if (request.DryRun && request.Route.SupportsDryRun)
        {
            headers[HeaderNames.DryRun] = "true";
        }
        await AuditStore.QueueInsertAsync(session, Audit(request, now, error.Status, "rejected", request.AccountId, null, null,
            $"{error.Code}: {error.Message}"));
        await session.CommitAsync(ct);
        return true;
    }

    internal static string? ValidateKey(WriteRequest request)
    {
        var key = request.IdempotencyKey;
        if (string.IsNullOrEmpty(key))
        {
            if (request.Route.RequiresIdempotencyKey)
            {
                throw ApiError.BadRequest(
                    new FieldIssue("Idempotency-Key", "is required (a UUID)"));
            }
            return null;
        }
        if (!Guid.TryParse(key, out var parsed))
        {
            throw ApiError.BadRequest(new FieldIssue("Idempotency-Key", "must be a UUID"));
        }
        return parsed.ToString();
    }

    /// <summary>The key to look up with the lock: the validated one, or none (a missing or malformed key is refused after tenancy).</summary>
    private static string? LookupKey(WriteRequest request) =>
        Guid.TryParse(request.IdempotencyKey, out var parsed) ? parsed.ToString() : null;

    /// <summary>Method, path and canonical body; deliberately not dry_run, so a real write reusing a dry-run's key replays it.</summary>
    internal static string Fingerprint(WriteRequest request)
    {
        var text = request.Method.ToUpperInvariant() + " " + request.Path + "\n" + CanonicalJson.Write(request.Body);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    internal static WriteResult Replay(IdempotencyRow cached)
    {
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(cached.ResponseHeaders) ?? [];
        headers[HeaderNames.IdempotentReplayed] = "true";
        using var doc = JsonDocument.Parse(cached.ResponseBody);
        if (doc.RootElement.TryGetProperty("request_id", out var original) && original.GetString() is { } originalId)
        {
            headers[HeaderNames.OriginalRequestId] = originalId;
        }
        return new WriteResult((int)cached.StatusCode, cached.ResponseBody, headers);
    }

    internal static AuditRow Audit(WriteRequest request, DateTimeOffset now, int status, string outcome, string? accountId,
        string? hashBefore, string? hashAfter, string summary) => new()
    {
        At = Database.Timestamp(now), RequestId = request.RequestId, PlatformId = request.PlatformId, CredentialId = request.CredentialId,
        AccountId = accountId, Method = request.Method, Path = request.Path, StatusCode = status, Outcome = outcome,
        DryRun = request.DryRun ? 1 : 0, IdemKey = request.IdempotencyKey, HashBefore = hashBefore, HashAfter = hashAfter, Summary = summary,
    };
}

/// <summary>The account checks every partner call makes, reads and writes alike.</summary>
public static class Tenancy
{
    public static AccountRow Check(AccountRow? account, string accountId, string platformId)
    {
        if (account is null)
        {
            throw ApiError.NotFound($"Account {accountId} not found");
        }
        if (account.PlatformId != platformId)
        {
            throw ApiError.Forbidden("This account belongs to another platform");
        }
        if (account.RelationshipStatus != "active")
        {
            throw ApiError.Forbidden("The relationship between your platform and this account is revoked");
        }
        return account;
    }

    /// <summary>
    /// For a write that names its platform in the body (<see cref="WriteRoute.BodyPlatformField"/>, registration): a string
    /// there that is not the token's platform is 403 before anything else is looked at. A missing or malformed field is
    /// left to the route's parser to report.
    /// </summary>
    public static void CheckBodyPlatform(WriteRequest request)
    {
        if (request.Route.BodyPlatformField is not { } field || request.Body.ValueKind != System.Text.Json.JsonValueKind.Object) return;
        if (!request.Body.TryGetProperty(field, out var value) || !Partnerships.Core.Validation.TextRules.TryGetString(value, out var platform)) return;
        if (platform.Trim() != request.PlatformId) throw PlatformMismatch(field);
    }

    public static ApiError PlatformMismatch(string field) => new(403, ErrorCodes.Forbidden, $"{field} does not match your token's platform",
        [new FieldIssue(field, "must equal the platform of the access token")]);
}
