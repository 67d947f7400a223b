using System.Runtime.CompilerServices;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>What an export takes: entries at or after <c>From</c> and before <c>To</c> (store timestamps), of one platform, of one action.</summary>
public sealed record AuditExportFilter(string? From = null, string? To = null, string? PlatformId = null, string? Action = null);

/// <summary>The audit log as operators read it: a query page by page, and an export of everything a filter takes, in order.</summary>
public sealed class AuditAdmin(Database db, TimeProvider clock)
{
    /// <summary>Entries an export reads per round trip: memory stays flat however long the log is.</summary>
    public const int ExportPageSize = 500;

    public async Task<IReadOnlyList<AuditEntryView>> QueryAsync(AuditQuery query)
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await AuditStore.QueryAsync(s, query)).Select(AuditEntryView.From).ToList();
    }

    /// <summary>
    /// Every entry the filter takes, oldest first, read a page at a time, up to the newest entry when the export began (so it
    /// ends, and never includes its own entry). The export is itself audited when it ends — with how many entries it gave
    /// and whether it ran to the end — so an operator can show what was kept before the retention purge removed it.
    /// </summary>
    public async IAsyncEnumerable<AuditEntryView> ExportAsync(OperatorActor actor, AuditExportFilter filter,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        long through;
        await using (var s = await DbSession.ReadAsync(db, ct)) through = await AuditStore.MaxIdAsync(s);
        var (after, exported, complete) = (0L, 0L, false);
        try
        {
            while (after < through)
            {
                IReadOnlyList<AuditRow> page;
                await using (var s = await DbSession.ReadAsync(db, ct))
                {
                    page = await AuditStore.QueryAsync(s, new AuditQuery(null, filter.PlatformId, null, null, filter.From, filter.To, after,
                        ExportPageSize, Action: filter.Action));
                }
                foreach (var row in page.TakeWhile(r => r.Id <= through))
                {
                    yield return AuditEntryView.From(row);
                    exported++;
                }
                if (page.Count < ExportPageSize || page[^1].Id >= through) break;
                after = page[^1].Id;
            }
            complete = true;
        }
        finally
        {
            await RecordExportAsync(actor, filter, through, exported, complete);
        }
    }

    private async Task RecordExportAsync(OperatorActor actor, AuditExportFilter filter, long through, long exported, bool complete)
    {
        try
        {
            await OperatorAudit.RunAsync(db, clock, actor, "audit.export", "audit_log", async audit =>
            {
                audit.PlatformId = filter.PlatformId;
                audit.After = new { from = filter.From, to = filter.To, platform_id = filter.PlatformId, action = filter.Action, through_id = through, exported, complete };
                await using var s = await DbSession.WriteAsync(db);
                await audit.CommitAsync(s);
                return true;
            });
        }
        catch (Exception) when (!complete)
        {
            // The export already failed (the reader left, the store went away); that failure is what the caller must see.
        }
    }
}
