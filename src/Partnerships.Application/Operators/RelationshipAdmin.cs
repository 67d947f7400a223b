using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>Revokes or restores a platform's relationship to one of its accounts; a revoked relationship makes the partner's calls 403.</summary>
public sealed class RelationshipAdmin(Database db, TimeProvider clock)
{
    public Task<RelationshipView> RevokeAsync(OperatorActor actor, string accountId) => SetAsync(actor, accountId, active: false);

    public Task<RelationshipView> RestoreAsync(OperatorActor actor, string accountId) => SetAsync(actor, accountId, active: true);

    private Task<RelationshipView> SetAsync(OperatorActor actor, string accountId, bool active) =>
        OperatorAudit.RunAsync(db, clock, actor, active ? "relationship.restore" : "relationship.revoke", "account:" + accountId, async audit =>
    {
        audit.AccountId = accountId;
        await using var s = await DbSession.WriteAsync(db);
        var account = await AccountStore.LockAsync(s, accountId) ?? throw ApiError.NotFound($"Account {accountId} not found");
        audit.PlatformId = account.PlatformId;
        var status = active ? "active" : "revoked";
        await AccountStore.SetRelationshipAsync(s, accountId, status, clock.GetUtcNow());
        (audit.Before, audit.After) = (new { relationship_status = account.RelationshipStatus }, new { relationship_status = status });
        await audit.CommitAsync(s);
        return new RelationshipView(account.Id, account.PlatformId, status);
    });
}
