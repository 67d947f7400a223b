using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>How one delivery attempt went.</summary>
public sealed record DeliveryResult(bool Success, string? Error = null, TimeSpan? RetryAfter = null, bool Permanent = false)
{
    public static DeliveryResult Ok { get; } = new(true);
    public static DeliveryResult Fail(string error, TimeSpan? retryAfter = null) => new(false, error, retryAfter);
    public static DeliveryResult Reject(string error) => new(false, error, Permanent: true);
}

/// <summary>One way out of the outbox (webhook, email).</summary>
public interface IDeliveryChannel
{
    string Name { get; }
    Task<DeliveryResult> DeliverAsync(OutboxRow message, CancellationToken ct);
    /// <summary>Called once a message is dead-lettered, so the channel can react (a webhook endpoint counts its failures).</summary>
    Task OnDeadLetterAsync(OutboxRow message, string error, CancellationToken ct) => Task.CompletedTask;
    Task OnDeliveredAsync(OutboxRow message, CancellationToken ct) => Task.CompletedTask;
}

public sealed record DispatcherOptions
{
    public bool Enabled { get; init; } = true;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    public int BatchSize { get; init; } = 32;
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);
    public int MaxAttempts { get; init; } = 8;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Delivers the transactional outbox at least once: claims due messages under a lease (SKIP LOCKED on PostgreSQL, so
/// several processes run side by side without claiming one message twice), delivers them, and records the outcome.
/// Failures retry with exponential backoff and full jitter, honouring Retry-After, up to a bounded number of attempts;
/// then the message is dead-lettered and its operation marked failed. A crash mid-delivery leaves the lease to expire,
/// and the message is delivered again by whoever claims it next.
/// </summary>
public sealed class OutboxDispatcher(Database db, IEnumerable<IDeliveryChannel> channels, TimeProvider clock, DispatcherOptions options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, IDeliveryChannel> _channels = channels.ToDictionary(c => c.Name);
    private readonly string _name = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        try
        {
            await LoopAsync(stoppingToken);
        }
        finally
        {
            await ReleaseClaimsAsync();
        }
    }

    /// <summary>
    /// On the way out, hands back what this dispatcher claimed but did not finish (a delivery cut short by shutdown), so
    /// another process can deliver it at once instead of after the lease.
    /// </summary>
    private async Task ReleaseClaimsAsync()
    {
        try
        {
            await using var s = await DbSession.WriteAsync(db, CancellationToken.None);
            var released = await OutboxStore.ReleaseAsync(s, _name);
            await s.CommitAsync(CancellationToken.None);
            if (released > 0) logger.LogInformation("Released {Count} unfinished outbox claims on shutdown", released);
        }
        catch (Exception e)
        {
            // The store may be down as we stop; the lease then expires as after a crash.
            logger.LogWarning(e, "Could not release outbox claims on shutdown; they expire with their lease");
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = 0;
            try
            {
                delivered = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StoreFailures.IsUnavailable(e))
            {
                logger.LogWarning("Outbox dispatch round failed, the store is unavailable ({Reason}); retrying", e.Message);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Outbox dispatch round failed; retrying");
            }
            if (delivered == 0)
            {
                try { await Task.Delay(options.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims one batch and delivers it; returns how many messages were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        IReadOnlyList<OutboxRow> batch;
        var now = clock.GetUtcNow();
        await using (var look = await DbSession.ReadAsync(db, ct))
        {
            if (!await OutboxStore.AnyDueAsync(look, now)) return 0;
        }
        await using (var s = await DbSession.WriteAsync(db, ct))
        {
            batch = await OutboxStore.ClaimAsync(s, _name, now, now + options.Lease, options.BatchSize);
            await s.CommitAsync(ct);
        }
        if (batch.Count == 0) return 0;
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (message, token) => await DeliverOneAsync(message, token));
        return batch.Count;
    }

    private async Task DeliverOneAsync(OutboxRow message, CancellationToken ct)
    {
        // A root span per delivery: the write that queued the message is named by its operation id.
        using var span = DeliveryTelemetry.Source.StartActivity("outbox deliver", System.Diagnostics.ActivityKind.Producer, default(System.Diagnostics.ActivityContext));
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("partnerships.channel", message.Channel);
            span.SetTag("partnerships.topic", message.Topic);
            span.SetTag("messaging.message.id", message.MessageId);
            span.SetTag("partnerships.operation_id", message.OperationId);
            span.SetTag("partnerships.platform", message.PlatformId);
            span.SetTag("partnerships.attempt", message.Attempts + 1);
        }
        DeliveryResult result;
        if (!_channels.TryGetValue(message.Channel, out var channel))
        {
            result = DeliveryResult.Reject($"no delivery channel '{message.Channel}'");
        }
        else
        {
            try
            {
                result = await channel.DeliverAsync(message, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return; // shutting down: the lease runs out and the message is delivered later
            }
            catch (Exception e)
            {
                result = DeliveryResult.Fail(e.GetType().Name + ": " + e.Message);
            }
        }

        var now = clock.GetUtcNow();
        var attempts = message.Attempts + 1;
        var dead = !result.Success && (result.Permanent || attempts >= options.MaxAttempts);
        await using (var s = await DbSession.WriteAsync(db, CancellationToken.None))
        {
            if (result.Success)
            {
                await OutboxStore.MarkDeliveredAsync(s, message.Id, _name, now);
            }
            else
            {
                await OutboxStore.MarkFailedAsync(s, message.Id, _name, result.Error ?? "failed", now + Backoff(attempts, result.RetryAfter), dead);
                if (dead && message.OperationId is not null)
                {
                    await OperationStore.MarkFailedAsync(s, message.OperationId,
                        System.Text.Json.JsonSerializer.Serialize(new { code = "DeliveryFailed", message = $"{message.Channel} {message.Topic} ({message.MessageId}) dead-lettered after {attempts} attempts: {result.Error}", details = Array.Empty<object>() }),
                        now);
                }
            }
            await s.CommitAsync(CancellationToken.None);
        }
        var outcome = result.Success ? Partnerships.Application.ServiceMetrics.Delivered : dead ? Partnerships.Application.ServiceMetrics.Dead : Partnerships.Application.ServiceMetrics.Failed;
        Partnerships.Application.ServiceMetrics.Delivery(message.Channel, outcome);
        if (span is not null)
        {
            span.SetTag("partnerships.outcome", outcome);
            if (!result.Success) span.SetStatus(System.Diagnostics.ActivityStatusCode.Error, result.Error);
        }
        if (channel is null) return;
        if (result.Success)
        {
            await channel.OnDeliveredAsync(message, CancellationToken.None);
        }
        else
        {
            logger.LogWarning("Delivery of {Channel} {Topic} {MessageId} failed (attempt {Attempt}{Dead}): {Error}",
                message.Channel, message.Topic, message.MessageId, attempts, dead ? ", dead-lettered" : "", result.Error);
            if (dead) await channel.OnDeadLetterAsync(message, result.Error ?? "failed", CancellationToken.None);
        }
    }

    /// <summary>Exponential backoff with full jitter, never sooner than the receiver's Retry-After.</summary>
    internal TimeSpan Backoff(long attempts, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempts - 1));
        var jittered = TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
        if (retryAfter is { } wait && wait > jittered) jittered = wait < options.MaxDelay ? wait : options.MaxDelay;
        return jittered;
    }
}
