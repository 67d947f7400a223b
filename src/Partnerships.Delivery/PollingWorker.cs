using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Partnerships.Delivery;

/// <summary>
/// A background worker that runs one round, waits its poll interval and runs again until the host stops. A round that
/// fails is logged and tried again at the next interval: the work it leaves is still in the store.
/// </summary>
public abstract class PollingWorker(ILogger logger) : BackgroundService
{
    protected abstract bool Enabled { get; }
    protected abstract TimeSpan Poll { get; }
    /// <summary>What a round does, as the log names it ("Data deletion").</summary>
    protected abstract string Work { get; }

    protected ILogger Logger { get; } = logger;

    /// <summary>One round; returns how many items it took on.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Logger.LogError(e, "{Work} round failed; retrying", Work);
            }
            try { await Task.Delay(Poll, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
