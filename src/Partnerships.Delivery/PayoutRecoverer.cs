using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Features.PayoutSetup;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>
/// Finishes payout setups left between their phases (a crash after staging, a provider that failed and no client retry):
/// it asks the provider again with the operation's own key, which returns the account it may already have created, and
/// records the answer. Runs in every process; the lease taken by one conditional UPDATE makes one process the caller at a
/// time. It never fails an operation on its own: only the provider's refusal (it created nothing) ends one.
/// </summary>
public sealed class PayoutRecoverer(Database db, PayoutSetupExecutor executor, IPayoutProvider provider, PayoutOptions options,
    TimeProvider clock, ILogger<PayoutRecoverer> logger) : PollingWorker(logger)
{
    protected override bool Enabled => options.RecovererEnabled && provider.IsConfigured;
    protected override TimeSpan Poll => options.RecoveryPoll;
    protected override string Work => "Payout recovery";

    /// <summary>One round: how many stranded operations this process took on.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        IReadOnlyList<StagedOperationRow> due;
        await using (var look = await DbSession.ReadAsync(db, ct))
        {
            due = await StagedOperationStore.DueAsync(look, CreatePayoutSetup.Route.OperationType, clock.GetUtcNow(), 16);
        }
        var taken = 0;
        foreach (var row in due)
        {
            ct.ThrowIfCancellationRequested();
            if (await executor.RecoverAsync(row.OperationId, ct)) taken++;
        }
        return taken;
    }
}
