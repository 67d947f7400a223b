using System.Text.Json;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Pipeline;
using Partnerships.Application.SideEffects;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.DataDeletion;

public sealed record DataDeletionOptions
{
    /// <summary>DataDeletion:Worker — whether this process runs queued data deletions.</summary>
    public bool WorkerEnabled { get; init; } = true;
    /// <summary>DataDeletion:PollMilliseconds — how often the worker looks for queued deletions.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long one process holds a deletion before another may take it over (it then starts it again; every step is repeatable).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>DataDeletion:MaxAttempts — failed attempts (errors, not waits) before the operation turns failed.</summary>
    public int MaxAttempts { get; init; } = 10;
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>The files that can hold an account's personal data: the e-mails written to the pickup folder.</summary>
public interface IPersonalDataFiles
{
    /// <summary>
    /// Removes the pickup file of each e-mail with no recipient left (the merchant's), and writes the others again from
    /// their redacted messages; how many files were removed or rewritten.
    /// </summary>
    Task<int> EraseAsync(IReadOnlyList<OutboxRow> emails, CancellationToken ct);
}

/// <summary>
/// Runs one queued data deletion, in steps that may each be repeated after a crash (a process that dies mid-way leaves
/// its lease to run out, and the next one starts over):
/// (1) one transaction under the account lock erases the personal fields from the account row and every copy in the
/// account's rows (every text column of every table with an account_id, found from the schema), drops the
/// registration's idempotency record (its fingerprint hashes a body holding the address) and withdraws the merchant's
/// undelivered e-mails; (2) once no dispatcher is sending one of the account's e-mails, the pickup files go;
/// (3) SQLite's write-ahead log is truncated, so no old page version survives there; (4) a last transaction completes
/// the operation, records the account.data_deleted event (feed and webhook) and the audit entry. Only step 4 ends the
/// staged row, and only while this attempt still holds the lease, so two processes never both complete it.
/// </summary>
public sealed class AccountDataEraser(Database db, TimeProvider clock, DataDeletionOptions options, SideEffectRecorder sideEffects,
    IPersonalDataFiles files, ILogger<AccountDataEraser> logger)
{
    private static readonly string Process = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Queued deletions whose next attempt is due and that nobody holds.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(CancellationToken ct)
    {
        await using var s = await DbSession.ReadAsync(db, ct);
        return (await StagedOperationStore.DueAsync(s, RequestDataDeletion.OperationType, clock.GetUtcNow(), 16)).Select(r => r.OperationId).ToList();
    }

    /// <summary>Runs one deletion if this process can take its lease; false when another holds it or it is done.</summary>
    public async Task<bool> RunAsync(string operationId, CancellationToken ct)
    {
        var owner = $"{Process}:{Guid.NewGuid():N}";
        StagedOperationRow? staged;
        await using (var s = await DbSession.WriteAsync(db, ct))
        {
            var now = clock.GetUtcNow();
            if (!await StagedOperationStore.TryLeaseAsync(s, operationId, owner, now, now + options.Lease)) return false;
            staged = await StagedOperationStore.GetAsync(s, operationId);
            await s.CommitAsync(ct);
        }
        if (staged is null) return false;
        try
        {
            var erased = await EraseRowsAsync(staged, owner, ct);
            if (erased is null) return true; // the lease ran out under us: whoever holds it now finishes
            if (erased.EmailsInFlight > 0)
            {
                await WaitAsync(staged, owner, $"waiting for {erased.EmailsInFlight} e-mail(s) being sent to finish", ct);
                return true;
            }
            var removedFiles = await files.EraseAsync(await EmailsAsync(staged.AccountId, ct), ct);
            if (!await db.TruncateLogAsync(ct))
            {
                await WaitAsync(staged, owner, "waiting for readers of the write-ahead log", ct);
                return true;
            }
            await CompleteAsync(staged, owner, erased with { Files = removedFiles }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await FailAttemptAsync(staged, owner, e);
        }
        return true;
    }

    private sealed record Erasure(int Rows, int EmailsWithdrawn, int EmailsInFlight, int Files = 0);

    /// <summary>Step 1. Null when this attempt no longer holds the lease.</summary>
    private async Task<Erasure?> EraseRowsAsync(StagedOperationRow staged, string owner, CancellationToken ct)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        var now = clock.GetUtcNow();
        var account = await AccountStore.LockAsync(s, staged.AccountId);
        if (account is null || !await StagedOperationStore.HoldsAsync(s, staged.OperationId, owner, now)) return null;
        // E-mails whose recipient was erased (the merchant's) must never go out now, including dead ones an operator could replay.
        int withdrawn = 0, inFlight = 0;
        foreach (var email in await PersonalDataStore.UndeliveredEmailsAsync(s, account.Id))
        {
            if (Recipient(email) is not null) continue;
            if (await PersonalDataStore.CancelAsync(s, email.Id, "withdrawn: the recipient's personal data was erased", now) == 1) withdrawn++;
            else inFlight++;
        }
        var rows = 0;
        if (account.ContactEmail is { Length: > 0 } address)
        {
            foreach (var column in await PersonalDataStore.AccountTextColumnsAsync(s))
            {
                foreach (var value in await PersonalDataStore.CandidateValuesAsync(s, column, account.Id))
                {
                    if (PersonalData.Redact(value, address) is { } redacted)
                    {
                        rows += await PersonalDataStore.ReplaceValueAsync(s, column, account.Id, value, redacted == "null" ? null : redacted);
                    }
                }
            }
            // While a send to the address is in flight, the account keeps it: the send can still write it (an SMTP
            // refusal quoting the recipient, say), and the attempt after the wait must know what to look for.
            if (inFlight == 0) rows += await PersonalDataStore.ClearContactEmailAsync(s, account.Id, now);
        }
        foreach (var record in await PersonalDataStore.IdempotencyRecordsAsync(s, account.Id))
        {
            if (record.Scope.Length == 0)
            {
                // The registration's: its fingerprint is a hash of a body that held the address, and a hash of a guessable
                // value is not anonymous. A retry of the registration still finds the account by external_account_id.
                rows += await PersonalDataStore.DeleteIdempotencyAsync(s, record);
            }
            else if (account.ContactEmail is { Length: > 0 } mail
                && (PersonalData.Redact(record.ResponseBody, mail) is not null || PersonalData.Redact(record.ResponseHeaders, mail) is not null))
            {
                rows += await PersonalDataStore.RewriteIdempotencyAsync(s, record,
                    PersonalData.Redact(record.ResponseBody, mail) ?? record.ResponseBody, PersonalData.Redact(record.ResponseHeaders, mail) ?? record.ResponseHeaders);
            }
        }
        await s.CommitAsync(ct);
        return new Erasure(rows, withdrawn, inFlight);
    }

    /// <summary>Step 4: the operation completes, the event and the audit entry are recorded, the staged row goes.</summary>
    private async Task CompleteAsync(StagedOperationRow staged, string owner, Erasure erased, CancellationToken ct)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        var now = clock.GetUtcNow();
        await AccountStore.LockAsync(s, staged.AccountId);
        if (await StagedOperationStore.DeleteOwnedAsync(s, staged.OperationId, owner) != 1) return;
        await PersonalDataStore.SetOperationStatusAsync(s, staged.OperationId, "completed", null, now);
        await sideEffects.RecordAsync(s, OriginalRequest(staged), staged.OperationId,
        [
            new DomainEvent(EventTypes.AccountDataDeleted, staged.AccountId, new
            {
                account_id = staged.AccountId, personal_fields = PersonalData.Fields, requested_at = staged.CreatedAt, completed_at = Database.Timestamp(now),
            }),
        ], now);
        await AuditStore.InsertAsync(s, Audit(staged, now, 200, "committed",
            $"personal data erased ({string.Join(", ", PersonalData.Fields)}): {erased.Rows} stored values, {erased.EmailsWithdrawn} undelivered e-mails withdrawn, {erased.Files} pickup files"));
        await s.CommitAsync(ct);
        logger.LogInformation("Data deletion {OperationId} for account {AccountId} completed", staged.OperationId, staged.AccountId);
    }

    /// <summary>Not a failure: gives the lease back to try again shortly.</summary>
    private async Task WaitAsync(StagedOperationRow staged, string owner, string why, CancellationToken ct)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        var now = clock.GetUtcNow();
        await StagedOperationStore.ReleaseAsync(s, staged.OperationId, owner, why, now + options.RetryBaseDelay, now);
        await s.CommitAsync(ct);
    }

    private async Task FailAttemptAsync(StagedOperationRow staged, string owner, Exception e)
    {
        logger.LogError(e, "Data deletion {OperationId} for account {AccountId}: attempt {Attempt} failed", staged.OperationId, staged.AccountId, staged.Attempts + 1);
        var now = clock.GetUtcNow();
        var failures = Failures(staged) + 1;
        var message = e.GetType().Name + ": " + e.Message;
        try
        {
            await using var s = await DbSession.WriteAsync(db, CancellationToken.None);
            if (failures >= options.MaxAttempts)
            {
                if (await StagedOperationStore.DeleteOwnedAsync(s, staged.OperationId, owner) == 1)
                {
                    var error = JsonSerializer.Serialize(new
                    {
                        code = "InternalServerError",
                        message = $"The data deletion failed after {failures} attempts; send a new request (new Idempotency-Key) to try again",
                        details = Array.Empty<object>(),
                    });
                    await PersonalDataStore.SetOperationStatusAsync(s, staged.OperationId, "failed", error, now);
                    await AuditStore.InsertAsync(s, Audit(staged, now, 500, "failed", $"data deletion failed after {failures} attempts: {e.GetType().Name}"));
                }
            }
            else
            {
                var delay = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, failures - 1));
                await StagedOperationStore.ReleaseAsync(s, staged.OperationId, owner, $"failure {failures}: {message}",
                    now + TimeSpan.FromMilliseconds(delay / 2 + Random.Shared.NextDouble() * delay / 2), now);
            }
            await s.CommitAsync(CancellationToken.None);
        }
        catch (Exception bookkeeping)
        {
            // The lease runs out and the next attempt starts over.
            logger.LogError(bookkeeping, "Could not record the failed data deletion attempt {OperationId}", staged.OperationId);
        }
    }

    /// <summary>Failed attempts so far, as the last error records them ("failure N: …"); waits do not count.</summary>
    private static int Failures(StagedOperationRow staged) =>
        staged.LastError is { } last && last.StartsWith("failure ", StringComparison.Ordinal)
        && int.TryParse(last.AsSpan(8, Math.Max(0, last.IndexOf(':', StringComparison.Ordinal) - 8)), out var n) ? n : 0;

    private async Task<IReadOnlyList<OutboxRow>> EmailsAsync(string accountId, CancellationToken ct)
    {
        await using var s = await DbSession.ReadAsync(db, ct);
        return await PersonalDataStore.EmailsAsync(s, accountId);
    }

    /// <summary>The message's recipient, or null when it has none left (erased).</summary>
    public static string? Recipient(OutboxRow email)
    {
        try
        {
            using var doc = JsonDocument.Parse(email.Payload);
            return doc.RootElement.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.String ? to.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static WriteRequest OriginalRequest(StagedOperationRow staged) => new(RequestDataDeletion.Route, staged.RequestId, staged.PlatformId,
        staged.CredentialId, staged.Method, staged.Path, staged.AccountId, staged.IdemKey, false, default, null);

    private static AuditRow Audit(StagedOperationRow staged, DateTimeOffset now, int status, string outcome, string summary) =>
        WritePipeline.Audit(OriginalRequest(staged), now, status, outcome, staged.AccountId, null, null, summary);
}
