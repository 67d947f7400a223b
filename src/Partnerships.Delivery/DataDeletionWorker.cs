using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Features.DataDeletion;
using Partnerships.Application.SideEffects;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>
/// Runs queued data deletions in the background (<see cref="AccountDataEraser"/>). Runs in every process; a lease taken
/// with one conditional UPDATE makes one process run a deletion at a time, and one that dies mid-way leaves its lease to
/// run out, after which another starts the deletion over (every step is repeatable).
/// </summary>
public sealed class DataDeletionWorker(AccountDataEraser eraser, DataDeletionOptions options, ILogger<DataDeletionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.WorkerEnabled) return;
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
                logger.LogError(e, "Data deletion round failed; retrying");
            }
            try { await Task.Delay(options.Poll, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One round: how many deletions this process took on.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var taken = 0;
        foreach (var operationId in await eraser.DueAsync(ct))
        {
            ct.ThrowIfCancellationRequested();
            if (await eraser.RunAsync(operationId, ct)) taken++;
        }
        return taken;
    }
}

/// <summary>
/// The pickup folder's copies of an account's e-mails: a message with no recipient left (the merchant's) loses its file;
/// any other (an operator's notice about the merchant) is written again from its redacted message, if its file is still
/// there. With SMTP configured nothing is kept locally, and there is nothing to do.
/// </summary>
public sealed class PickupFolderEraser(EmailOptions options) : IPersonalDataFiles
{
    public async Task<int> EraseAsync(IReadOnlyList<OutboxRow> emails, CancellationToken ct)
    {
        var changed = 0;
        foreach (var message in emails)
        {
            var path = PickupFolder.PathOf(options, message.MessageId);
            if (File.Exists(path + ".tmp"))
            {
                File.Delete(path + ".tmp");
                changed++;
            }
            if (!File.Exists(path)) continue;
            var email = AccountDataEraser.Recipient(message) is null ? null
                : JsonSerializer.Deserialize<EmailMessage>(message.Payload, Partnerships.Application.Pipeline.Envelope.Json);
            if (email is null)
            {
                File.Delete(path);
            }
            else
            {
                await PickupFolder.WriteAsync(options, message.MessageId, EmailTemplates.Render(options, email, message.MessageId), ct);
            }
            changed++;
        }
        return changed;
    }
}
