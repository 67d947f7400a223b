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
public sealed class DataDeletionWorker(AccountDataEraser eraser, DataDeletionOptions options, ILogger<DataDeletionWorker> logger) : PollingWorker(logger)
{
    protected override bool Enabled => options.WorkerEnabled;
    protected override TimeSpan Poll => options.Poll;
    protected override string Work => "Data deletion";

    /// <summary>One round: how many deletions this process took on.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken ct)
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
