using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>What the audit log page filters by: exact platform, action and actor, and a time range (store timestamps, from inclusive).</summary>
public sealed record AuditLogFilter(string? PlatformId = null, string? Action = null, string? Actor = null, string? From = null, string? To = null);

/// <summary>The audit log newest first, a page at a time (the admin route and the export read it oldest first).</summary>
public sealed class AuditLogPages(Database db)
{
    public async Task<IReadOnlyList<AuditEntryView>> NewestFirstAsync(AuditLogFilter filter, long? beforeId, int limit)
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await OperatorPageStore.AuditNewestFirstAsync(s, filter.PlatformId, filter.Action, filter.Actor, filter.From, filter.To, beforeId, limit))
            .Select(AuditEntryView.From).ToList();
    }
}
