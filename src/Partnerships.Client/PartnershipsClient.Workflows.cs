using Partnerships.Client.Http;

namespace Partnerships.Client;

public sealed partial class PartnershipsClient
{
    /// <summary>
    /// GET-modify-PUT of the marketplace controls, safe against concurrent writers: reads the controls, applies
    /// <paramref name="change"/>, and PUTs the result guarded by the read's <c>contentHash</c>. When another writer got
    /// there first (409 <see cref="ErrorReasons.ContentHashStale"/>) it reads again, re-applies
    /// <paramref name="change"/> to the new state and tries again, with backoff and jitter, at most
    /// <see cref="PartnershipsClientOptions.MaxControlsUpdateAttempts"/> rounds. Each round is a new request with a new
    /// <c>Idempotency-Key</c> (its body differs); within a round, transient failures are retried with the same key.
    /// </summary>
    /// <param name="accountId">The account.</param>
    /// <param name="change">The desired state given the current one; may be called once per round, so it should be pure. The <c>ContentHash</c> it returns is replaced by the read's.</param>
    /// <param name="cancellationToken">Cancels the loop.</param>
    /// <exception cref="PartnershipsApiException">The last stale-hash 409 when every round lost, or any error that is not retried.</exception>
    public async Task<PartnershipsResponse<MarketplaceControls>> UpdateControlsAsync(string accountId,
        Func<MarketplaceControls, MarketplaceControlsUpdate> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var round = 1; ; round++)
        {
            var current = await GetMarketplaceControlsAsync(accountId, cancellationToken).ConfigureAwait(false);
            var desired = change(current.Data) with { ContentHash = current.Data.ContentHash };
            try
            {
                return await PutMarketplaceControlsAsync(accountId, desired, idempotencyKey: null, cancellationToken).ConfigureAwait(false);
            }
            catch (PartnershipsApiException e) when (e.IsStaleContentHash && round < _options.MaxControlsUpdateAttempts)
            {
                await Task.Delay(Backoff.FullJitter(round, _options.ControlsRetryBaseDelay, _options.RetryMaxDelay), _clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Polls <c>GET /v1/partnership/operations/{operation_id}</c> until the operation is <c>completed</c> or
    /// <c>failed</c>: how a caller that kept a write's <c>X-Operation-Id</c> but lost its answer learns the outcome.
    /// </summary>
    /// <param name="operationId">The write's <c>X-Operation-Id</c>.</param>
    /// <param name="timeout">How long to wait; <see cref="PartnershipsClientOptions.OperationWaitTimeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">The operation was still in progress when the time ran out.</exception>
    public async Task<PartnershipsResponse<Operation>> WaitForOperationAsync(string operationId, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var deadline = _clock.GetUtcNow() + (timeout ?? _options.OperationWaitTimeout);
        var interval = _options.OperationPollInterval;
        while (true)
        {
            var operation = await GetOperationAsync(operationId, cancellationToken).ConfigureAwait(false);
            if (operation.Data.IsTerminal) return operation;
            var left = deadline - _clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Operation {operationId} is still {operation.Data.Status} after {timeout ?? _options.OperationWaitTimeout}");
            }
            await Task.Delay(interval < left ? interval : left, _clock, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, _options.OperationPollMaxInterval.Ticks));
        }
    }
}
