using System.Text.Json;
using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.DataDeletion;

/// <summary>
/// POST …/data-deletion-requests: queues the erasure of the account's personal data and answers 202 with the operation
/// <c>pending</c>. The request erases nothing itself: it stages the work (a staged_operations row, in the write's own
/// transaction, so a dry-run rolls it back), and the background worker (<see cref="AccountDataEraser"/>) does it.
/// </summary>
public static class RequestDataDeletion
{
    public const string OperationType = "account.data_deletion";

    public static readonly WriteRoute Route = new(OperationType, SupportsDryRun: true, RequiresIdempotencyKey: true, AccountScoped: true);

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx)
    {
        JsonFields.Root<DataDeletionBody>(ctx.Body).ThrowIfAny();
        var s = ctx.Session;
        var account = ctx.RequiredAccount;
        if (await StagedOperationStore.ForAccountAsync(s, account.Id, OperationType) is { } queued)
        {
            // One erasure per account at a time (a unique key enforces it across processes); the queued one covers this request.
            throw ApiError.Conflict("A data deletion for this account is already queued; wait for its operation to complete", ErrorReasons.OperationInProgress,
                new FieldIssue("Idempotency-Key", $"another data deletion for this account is pending (operation {queued.OperationId})"));
        }
        var now = Database.Timestamp(ctx.Now);
        var request = ctx.Request;
        await StagedOperationStore.InsertAsync(s, new StagedOperationRow
        {
            // A dry-run has no operation; its row is rolled back with the rest of the handler's changes.
            OperationId = ctx.OperationId ?? Guid.NewGuid().ToString(), Type = OperationType, PlatformId = ctx.PlatformId, AccountId = account.Id,
            CredentialId = request.CredentialId, RequestId = request.RequestId, Method = request.Method, Path = request.Path,
            IdemKey = WritePipeline.ValidateKey(request)!, Fingerprint = WritePipeline.Fingerprint(request), ProviderKey = "",
            ProviderRequest = JsonSerializer.Serialize(new { fields = PersonalData.Fields }), Attempts = 0,
            NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
        });
        return new WriteOutcome(202, DataDeletionView.Pending(account.Id), "data deletion queued: " + string.Join(", ", PersonalData.Fields))
        {
            OperationStatus = "pending",
        };
    }
}
