using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>
/// What operators (and the network's privacy pipeline, with an admin key) do with network privacy requests, shared by the
/// admin routes and the CLI: read them (hash and state, never the identifier), acknowledge one (the pipeline has taken it:
/// its sealed identifier is erased), and erase the sealed identifiers past their retention window.
/// </summary>
public sealed class PrivacyRequestAdmin(Database db, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Statuses =
        [PrivacyRequestStore.Submitted, PrivacyRequestStore.Delivered, PrivacyRequestStore.Acknowledged, PrivacyRequestStore.Expired];

    public async Task<IReadOnlyList<PrivacyRequestAdminView>> ListAsync(string? platformId, string? status, int limit)
    {
        if (status is not null && !Statuses.Contains(status)) throw ApiError.Field("status", "must be one of " + string.Join(", ", Statuses));
        await using var s = await DbSession.ReadAsync(db);
        return (await PrivacyRequestStore.ListAsync(s, platformId, status, limit)).Select(PrivacyRequestAdminView.From).ToList();
    }

    public async Task<PrivacyRequestAdminView> GetAsync(string requestId)
    {
        await using var s = await DbSession.ReadAsync(db);
        return PrivacyRequestAdminView.From(await PrivacyRequestStore.GetAsync(s, requestId) ?? throw NotFound(requestId));
    }

    /// <summary>Idempotent: acknowledging an acknowledged request changes nothing and answers its state.</summary>
    public Task<PrivacyRequestAdminView> AcknowledgeAsync(OperatorActor actor, string requestId) =>
        OperatorAudit.RunAsync(db, clock, actor, "privacy_request.acknowledge", "privacy_request:" + requestId, async audit =>
        {
            await using var s = await DbSession.WriteAsync(db);
            var row = await PrivacyRequestStore.GetAsync(s, requestId) ?? throw NotFound(requestId);
            audit.PlatformId = row.PlatformId;
            if (await PrivacyRequestStore.AcknowledgeAsync(s, requestId, clock.GetUtcNow()) == 0) return PrivacyRequestAdminView.From(row);
            (audit.Before, audit.After) = (new { status = row.Status, identifier_held = row.SealedIdentifier is not null },
                new { status = PrivacyRequestStore.Acknowledged, identifier_held = false });
            await audit.CommitAsync(s);
            await using var read = await DbSession.ReadAsync(db);
            return PrivacyRequestAdminView.From((await PrivacyRequestStore.GetAsync(read, requestId))!);
        });

    /// <summary>An operator's explicit purge (the CLI's); the background purge runs <see cref="ExpireAsync"/> unaudited, as housekeeping.</summary>
    public Task<PrivacyPurgeView> PurgeAsync(OperatorActor actor) => OperatorAudit.RunAsync(db, clock, actor, "privacy_request.purge", "privacy_requests", async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        var erased = await PrivacyRequestStore.ExpireAsync(s, clock.GetUtcNow());
        audit.After = new { erased };
        await audit.CommitAsync(s);
        return new PrivacyPurgeView(erased);
    });

    /// <summary>Erases every sealed identifier whose request passed its retention window untaken; returns how many.</summary>
    public async Task<int> ExpireAsync(CancellationToken ct = default)
    {
        await using var s = await DbSession.WriteAsync(db, ct);
        var erased = await PrivacyRequestStore.ExpireAsync(s, clock.GetUtcNow());
        await s.CommitAsync(ct);
        return erased;
    }

    private static ApiError NotFound(string requestId) => ApiError.NotFound($"Privacy request {requestId} not found");
}
