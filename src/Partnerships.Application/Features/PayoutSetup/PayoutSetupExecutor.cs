using System.Text.Json;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.PayoutSetup;

public sealed record PayoutOptions
{
    /// <summary>Payouts:Recoverer — whether this process finishes operations left between their phases.</summary>
    public bool RecovererEnabled { get; init; } = true;
    /// <summary>Payouts:RecoveryPollMilliseconds — how often the recoverer looks for stranded operations.</summary>
    public TimeSpan RecoveryPoll { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Payouts:RetryBaseDelayMilliseconds — the recoverer's first wait after a failed provider call (doubling, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Added to the provider's longest call to make the lease, so a slow commit is not mistaken for a crash.</summary>
    public TimeSpan LeaseMargin { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Payout setup in atomic phases, so that no database transaction or lock is held while the payment provider is called:
/// (1) one short transaction does tenancy and idempotency as every write does and stages the operation, its idempotency
/// record and the exact provider request, under a lease; (2) the provider is called with no transaction open, with the
/// forwarded key; (3) a second short transaction records the result (payout setup, events and outbox, the operation,
/// the idempotency response, the audit entry) and removes the staged row. A retry with the same key, or the
/// background recoverer, resumes a staged operation by asking the provider again with the same key, so the
/// provider's own idempotency returns the account it already created.
/// </summary>
public sealed class PayoutSetupExecutor(Database db, TimeProvider clock, PipelineOptions pipelineOptions, PayoutOptions options,
    SideEffectRecorder sideEffects, WritePipeline pipeline, IPayoutProvider provider, ILogger<PayoutSetupExecutor> logger)
{
    private static readonly string Process = $"{Environment.MachineName}:{Environment.ProcessId}";

    private TimeSpan Lease => provider.MaxCallDuration + options.LeaseMargin;

    /// <summary>Who made an attempt: the request that staged or resumed it, or the recoverer.</summary>
    private sealed record Attempt(string RequestId, string? CredentialId, bool ByRecoverer);

    private sealed record Staged(StagedOperationRow? Row, string Owner, WriteResult? Done);

    public async Task<WriteResult> ExecuteAsync(WriteRequest request, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var operationId = Guid.NewGuid().ToString();
        Staged staged;
        try
        {
            staged = await StageAsync(request, operationId, now, ct);
        }
        catch (ApiError error)
        {
            // The staging transaction is closed by now; the rejection is recorded like any other write's.
            return await pipeline.RejectAsync(request, request.DryRun ? null : operationId, now, error, ct);
        }
        if (staged.Done is { } done) return done;
        return await CallAndRecordAsync(staged.Row!, staged.Owner, new Attempt(request.RequestId, request.CredentialId, false));
    }

    /// <summary>Finishes one stranded operation if nobody holds it; false if another caller or process has it.</summary>
    public async Task<bool> RecoverAsync(string operationId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var owner = NewOwner();
        StagedOperationRow? row;
        await using (var s = await DbSession.WriteAsync(db, ct))
        {
            if (!await StagedOperationStore.TryLeaseAsync(s, operationId, owner, now, now + Lease)) return false;
            row = await StagedOperationStore.GetAsync(s, operationId);
            await s.CommitAsync(ct);
        }
        if (row is null) return false;
        await CallAndRecordAsync(row, owner, new Attempt(row.RequestId, null, true));
        return true;
    }

    /// <summary>Phase 1: one short transaction under the account lock.</summary>
    private async Task<Staged> StageAsync(WriteRequest request, string operationId, DateTimeOffset now, CancellationToken ct)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        var account = Tenancy.Check(await AccountStore.LockAsync(s, request.AccountId!), request.AccountId!, request.PlatformId);
        if (request.DryRun)
        {
            // Rehearsing would mean calling the provider; nothing is recorded as an operation.
            throw ApiError.Field("dry_run", "this endpoint does not support dry-run; nothing was done");
        }
        var key = WritePipeline.ValidateKey(request)!;
        if (request.InputError is { } inputError) throw inputError;
        var scope = request.AccountId!;
        var fingerprint = WritePipeline.Fingerprint(request);
        var owner = NewOwner();

        var cached = await IdempotencyStore.FindAsync(s, request.PlatformId, scope, key);
        var pending = cached?.OperationId is { } cachedOperation ? await StagedOperationStore.GetAsync(s, cachedOperation) : null;
        if (cached is not null && (pending is not null || Database.ParseTimestamp(cached.ExpiresAt) > now))
        {
            if (cached.Fingerprint != fingerprint)
            {
                throw ApiError.Validation(
                    "Idempotency-Key was already used with a different request; use a fresh key for a different payload",
                    new FieldIssue("Idempotency-Key", "reused with a different method, path or body"));
            }
            if (pending is null)
            {
                await AuditStore.InsertAsync(s, WritePipeline.Audit(request, now, (int)cached.StatusCode, "replayed", scope, null, null, "replayed a cached response"));
                await s.CommitAsync(ct);
                return new Staged(null, owner, WritePipeline.Replay(cached));
            }
            if (!await StagedOperationStore.TryLeaseAsync(s, pending.OperationId, owner, now, now + Lease))
            {
                var busy = InFlight(request.RequestId, pending, now);
                await AuditStore.InsertAsync(s, WritePipeline.Audit(request, now, 409, "rejected", scope, null, null,
                    $"Conflict: the request with this key (operation {pending.OperationId}) is still in flight"));
                await s.CommitAsync(ct);
                return new Staged(null, owner, busy);
            }
            // The earlier attempt crashed or gave up between the phases: resume it, with what was staged then.
            await s.CommitAsync(ct);
            return new Staged(pending, owner, null);
        }

        var (returnUrl, refreshUrl) = CreatePayoutSetup.Parse(request.Body);
        if (!provider.IsConfigured)
        {
            throw new ApiError(503, ErrorCodes.ServiceUnavailable, provider.HowToConfigure,
                [new FieldIssue("", "no payment provider is configured", ErrorReasons.PayoutNotConfigured)]);
        }
        var existing = await PayoutStore.GetAsync(s, account.Id);
        if (existing is not null)
        {
            var body = Envelope.Success(200, request.RequestId, PayoutSetupView.From(existing));
            var headers = new Dictionary<string, string> { [HeaderNames.OperationId] = operationId };
            await OperationStore.InsertAsync(s, Operation(operationId, request, "completed", 200, body, now));
            await SaveKeyAsync(s, request.PlatformId, scope, key, fingerprint, 200, body, headers, operationId, now);
            await AuditStore.InsertAsync(s, WritePipeline.Audit(request, now, 200, "committed", scope, null, null, "payout setup exists; current state returned"));
            await s.CommitAsync(ct);
            return new Staged(null, owner, new WriteResult(200, body, headers));
        }
        if (await StagedOperationStore.ForAccountAsync(s, account.Id, CreatePayoutSetup.Route.OperationType) is { } other)
        {
            // A second key now would reach the provider as a second account; the first must finish first.
            throw ApiError.Conflict("A payout setup for this account is already in progress under another Idempotency-Key; retry later", ErrorReasons.OperationInProgress,
                new FieldIssue("Idempotency-Key", $"another payout setup for this account is in flight (operation {other.OperationId})"));
        }

        var row = new StagedOperationRow
        {
            OperationId = operationId, Type = CreatePayoutSetup.Route.OperationType, PlatformId = request.PlatformId, AccountId = account.Id,
            CredentialId = request.CredentialId, RequestId = request.RequestId, Method = request.Method, Path = request.Path, IdemKey = key,
            Fingerprint = fingerprint, ProviderKey = $"{account.Id}:{request.IdempotencyKey}",
            ProviderRequest = JsonSerializer.Serialize(new PayoutAccountRequest(account.Id, account.CountryCode, account.ContactEmail,
                account.StoreIdentifier, account.Brand, returnUrl, refreshUrl)),
            Attempts = 1, LockedBy = owner, LockedUntil = Database.Timestamp(now + Lease), NextAttemptAt = Database.Timestamp(now + Lease),
            CreatedAt = Database.Timestamp(now), UpdatedAt = Database.Timestamp(now),
        };
        var inFlight = InFlight(request.RequestId, row, now);
        await OperationStore.InsertAsync(s, Operation(operationId, request, "in_progress", null, null, now));
        // Bound to this request's fingerprint from now on: the provider is about to see the key.
        await SaveKeyAsync(s, request.PlatformId, scope, key, fingerprint, inFlight.Status, inFlight.Body, inFlight.Headers, operationId, now);
        await StagedOperationStore.InsertAsync(s, row);
        await s.CommitAsync(ct);
        return new Staged(row, owner, null);
    }

    /// <summary>Phase 2 with no transaction open, then phase 3 (or the failure's bookkeeping).</summary>
    private async Task<WriteResult> CallAndRecordAsync(StagedOperationRow staged, string owner, Attempt attempt)
    {
        var request = JsonSerializer.Deserialize<PayoutAccountRequest>(staged.ProviderRequest)!;
        PayoutAccount created;
        try
        {
            created = await provider.CreateAsync(request, staged.ProviderKey, CancellationToken.None);
        }
        catch (Exception e)
        {
            var failure = e as PayoutProviderException ?? new PayoutProviderException(PayoutFailure.ProviderError, e.GetType().Name + ": " + e.Message, e);
            ServiceMetrics.Delivery("payout", failure.Failure == PayoutFailure.Refused ? ServiceMetrics.Dead : ServiceMetrics.Failed);
            return await RecordFailureAsync(staged, owner, attempt, failure);
        }
        ServiceMetrics.Delivery("payout", ServiceMetrics.Delivered);
        return await RecordAsync(staged, attempt, created);
    }

    /// <summary>Phase 3: the provider answered; record everything in one short transaction.</summary>
    private async Task<WriteResult> RecordAsync(StagedOperationRow staged, Attempt attempt, PayoutAccount created)
    {
        var now = clock.GetUtcNow();
        await using var s = await DbSession.WriteAsync(db);
        await AccountStore.LockAsync(s, staged.AccountId);
        if (await StagedOperationStore.GetAsync(s, staged.OperationId) is null)
        {
            // Someone else (a retry or the recoverer, after our lease ran out) recorded it first, with the same provider answer.
            var done = await IdempotencyStore.FindAsync(s, staged.PlatformId, staged.AccountId, staged.IdemKey);
            await s.CommitAsync();
            return done is not null ? WritePipeline.Replay(done) : await FromOperationAsync(staged.OperationId);
        }
        var at = Database.Timestamp(now);
        var row = await PayoutStore.GetAsync(s, staged.AccountId);
        if (row is null)
        {
            row = new PayoutSetupRow
            {
                AccountId = staged.AccountId, ProviderAccount = created.ProviderAccountId, OnboardingUrl = created.OnboardingUrl,
                ExpiresAt = created.ExpiresAt is { } e ? Database.Timestamp(e) : null, Status = "onboarding", CreatedAt = at, UpdatedAt = at,
            };
            await PayoutStore.InsertAsync(s, row);
        }
        var view = PayoutSetupView.From(row);
        var body = Envelope.Success(201, staged.RequestId, view);
        var headers = new Dictionary<string, string> { [HeaderNames.OperationId] = staged.OperationId };
        var original = OriginalRequest(staged);
        await OperationStore.FinishAsync(s, staged.OperationId, "completed", 201, body, null, now);
        await sideEffects.RecordAsync(s, original, staged.OperationId, [new DomainEvent(EventTypes.PayoutSetupCreated, staged.AccountId, view)], now);
        await SaveKeyAsync(s, staged.PlatformId, staged.AccountId, staged.IdemKey, staged.Fingerprint, 201, body, headers, staged.OperationId, now);
        await StagedOperationStore.DeleteAsync(s, staged.OperationId);
        await AuditStore.InsertAsync(s, AttemptAudit(staged, attempt, now, 201, "committed",
            $"payout account {created.ProviderAccountId} created{(attempt.ByRecoverer ? " (finished by the recoverer)" : "")}"));
        await s.CommitAsync();
        if (attempt.ByRecoverer) logger.LogInformation("Recovered payout setup {OperationId} for account {AccountId}", staged.OperationId, staged.AccountId);
        return new WriteResult(201, body, headers);
    }

    private async Task<WriteResult> RecordFailureAsync(StagedOperationRow staged, string owner, Attempt attempt, PayoutProviderException failure)
    {
        var now = clock.GetUtcNow();
        var (status, code, message) = failure.Failure switch
        {
            PayoutFailure.Unavailable => (503, ErrorCodes.ServiceUnavailable, "The payment provider is unavailable"),
            PayoutFailure.TimedOut => (504, ErrorCodes.GatewayTimeout, "The payment provider did not answer in time"),
            PayoutFailure.Refused => (502, ErrorCodes.BadGateway, "The payment provider refused to create the payout account; nothing was created"),
            _ => (502, ErrorCodes.BadGateway, "The payment provider answered with an error"),
        };
        var definitive = failure.Failure == PayoutFailure.Refused;
        // The provider's own text (hosts, internal messages) goes to the log and the audit entry only (below); the partner
        // gets what it can act on.
        var error = definitive
            ? new ApiError(status, code,
                $"{message}. Check the account's country, e-mail and store URL, then send the request again with a new Idempotency-Key (the provider may keep its refusal under the old one).",
                [new FieldIssue("", "refused by the payment provider", ErrorReasons.ProviderRefused)])
            : new ApiError(status, code,
                $"{message}. Nothing is recorded yet; retry with the same Idempotency-Key: it resumes this payout setup, and the provider receives the same key, so no second account is created.",
                [new FieldIssue("Idempotency-Key", "may be retried: the same key resumes this payout setup")]);
        var body = Envelope.Error(error, attempt.RequestId);
        var headers = new Dictionary<string, string> { [HeaderNames.OperationId] = staged.OperationId };
        if (!definitive) headers["Retry-After"] = "1";
        await using var s = await DbSession.WriteAsync(db);
        await AccountStore.LockAsync(s, staged.AccountId);
        if (definitive)
        {
            // The provider created nothing: the attempt ends and the key is free again, as after any rejection.
            // Only while this attempt still holds the lease: one that took an expired lease over owns the outcome now.
            if (await StagedOperationStore.DeleteOwnedAsync(s, staged.OperationId, owner) == 1)
            {
                await IdempotencyStore.DeleteAsync(s, staged.PlatformId, staged.AccountId, staged.IdemKey, staged.OperationId);
                await OperationStore.FinishAsync(s, staged.OperationId, "failed", status, body, Envelope.StoredError(error), now);
            }
        }
        else
        {
            // The provider may have acted: the operation stays in progress, the lease goes back, and the recoverer asks again later.
            var next = now + Backoff(staged.Attempts);
            await StagedOperationStore.ReleaseAsync(s, staged.OperationId, owner, $"{code}: {failure.Message}", next, now);
        }
        await AuditStore.InsertAsync(s, AttemptAudit(staged, attempt, now, status, definitive ? "rejected" : "provider_failed", $"{code}: {failure.Message}"));
        await s.CommitAsync();
        logger.LogWarning("Payout setup {OperationId}: provider call failed ({Failure}{By}): {Message}", staged.OperationId, failure.Failure,
            attempt.ByRecoverer ? ", recoverer" : "", failure.Message);
        return new WriteResult(status, body, headers);
    }

    private WriteResult InFlight(string requestId, StagedOperationRow pending, DateTimeOffset now)
    {
        var until = pending.LockedUntil is { } u ? Database.ParseTimestamp(u) : now;
        var seconds = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds));
        var body = Envelope.Error(409, ErrorCodes.Conflict,
            $"A request with this Idempotency-Key is still in flight (operation {pending.OperationId}); retry with the same key after {seconds} s to get its result",
            requestId, [new FieldIssue("Idempotency-Key", "in flight: the first request with this key has not finished", ErrorReasons.IdempotencyKeyInFlight)]);
        return new WriteResult(409, body, new Dictionary<string, string> { [HeaderNames.OperationId] = pending.OperationId, ["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private async Task<WriteResult> FromOperationAsync(string operationId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var op = await OperationStore.GetAsync(s, operationId);
        var status = (int)(op?.ResponseStatus ?? 500);
        return new WriteResult(status, op?.ResponseBody ?? Envelope.Error(500, ErrorCodes.InternalServerError, "operation not found", operationId),
            new Dictionary<string, string> { [HeaderNames.OperationId] = operationId });
    }

    private TimeSpan Backoff(long attempts)
    {
        var ceiling = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    private Task SaveKeyAsync(DbSession s, string platformId, string scope, string key, string fingerprint, int status, string body,
        IReadOnlyDictionary<string, string> headers, string operationId, DateTimeOffset now) => IdempotencyStore.SaveAsync(s, new IdempotencyRow
    {
        PlatformId = platformId, Scope = scope, IdemKey = key, Fingerprint = fingerprint, StatusCode = status, ResponseBody = body,
        ResponseHeaders = JsonSerializer.Serialize(headers), DryRun = 0, OperationId = operationId, CreatedAt = Database.Timestamp(now),
        ExpiresAt = Database.Timestamp(now + pipelineOptions.IdempotencyTtl),
    });

    private static OperationRow Operation(string id, WriteRequest request, string status, int? responseStatus, string? body, DateTimeOffset now) => new()
    {
        Id = id, PlatformId = request.PlatformId, AccountId = request.AccountId, Type = request.Route.OperationType, Status = status,
        RequestId = request.RequestId, ResponseStatus = responseStatus, ResponseBody = body,
        CreatedAt = Database.Timestamp(now), UpdatedAt = Database.Timestamp(now),
    };

    /// <summary>The staging request as the side-effect recorder and the audit log need it (the body is not kept).</summary>
    private static WriteRequest OriginalRequest(StagedOperationRow staged) => new(CreatePayoutSetup.Route, staged.RequestId, staged.PlatformId,
        staged.CredentialId, staged.Method, staged.Path, staged.AccountId, staged.IdemKey, false, default, null);

    private static AuditRow AttemptAudit(StagedOperationRow staged, Attempt attempt, DateTimeOffset now, int status, string outcome, string summary) =>
        WritePipeline.Audit(OriginalRequest(staged) with { RequestId = attempt.RequestId, CredentialId = attempt.CredentialId }, now, status, outcome,
            staged.AccountId, null, null, summary);

    private static string NewOwner() => $"{Process}:{Guid.NewGuid():N}";
}
