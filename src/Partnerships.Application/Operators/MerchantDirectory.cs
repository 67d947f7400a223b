using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>A platform's merchants, newest first, revoked relationships included (so they can be restored).</summary>
public sealed class MerchantDirectory(Database db)
{
    public async Task<MerchantPageView> ListAsync(string platformId, int offset, int limit)
    {
        await using var s = await DbSession.ReadAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        var rows = await OperatorPageStore.AccountsNewestFirstAsync(s, platformId, Math.Max(0, offset), limit + 1);
        return new MerchantPageView(rows.Take(limit).Select(a => new MerchantView(a.Id, a.ExternalAccountId, a.Brand, a.CountryCode, a.Status,
            a.RelationshipStatus, a.CreatedAt)).ToList(), rows.Count > limit);
    }
}
