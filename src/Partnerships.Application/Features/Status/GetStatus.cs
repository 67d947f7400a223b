using Partnerships.Application.Pipeline;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Status;

/// <summary>GET …/status.</summary>
public static class GetStatus
{
    public static async Task<StatusView> HandleAsync(Database db, string platformId, string accountId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var account = Tenancy.Check(await AccountStore.GetAsync(s, accountId), accountId, platformId);
        return StatusView.From(account, await PageStore.ListVariantsAsync(s, accountId));
    }
}
