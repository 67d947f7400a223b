using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>The audit log newest first, a page at a time (the admin route and the export read it oldest first).</summary>
public sealed class AuditLogPages(Database db)
{
    public async Task<IReadOnlyList<AuditEntryView>> NewestFirstAsync(AuditLogFilter filter, long? beforeId, int limit)
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await OperatorPageStore.AuditNewestFirstAsync(s, filter, beforeId, limit))
            .Select(AuditEntryView.From).ToList();
    }
}
