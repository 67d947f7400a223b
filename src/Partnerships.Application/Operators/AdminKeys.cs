using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>
/// Operator admin keys: random (<c>padm_</c> + 256 bits), stored as a hash, shown once when created or rotated, never
/// derived from another key, so each one can be rotated or revoked on its own.
/// </summary>
public sealed class AdminKeys(Database db, TimeProvider clock)
{
    public Task<IssuedAdminKeyView> CreateAsync(OperatorActor actor, string? label) =>
        OperatorAudit.RunAsync(db, clock, actor, "admin_key.create", null, async audit =>
    {
        OperatorChecks.CheckLabel(label);
        await using var s = await DbSession.WriteAsync(db);
        var issued = await InsertAsync(s, label);
        (audit.Target, audit.Status, audit.After) = ("admin_key:" + issued.Id, 201, new { id = issued.Id, label });
        await audit.CommitAsync(s);
        return issued;
    });

    public async Task<IReadOnlyList<AdminKeyView>> ListAsync()
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await AdminKeyStore.ListAsync(s)).Select(View).ToList();
    }

    /// <summary>A new secret under the same id (the actor in the audit log stays the same); the old one stops working at once.</summary>
    public Task<IssuedAdminKeyView> RotateAsync(OperatorActor actor, string id) =>
        OperatorAudit.RunAsync(db, clock, actor, "admin_key.rotate", "admin_key:" + id, async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        var row = await RequireActiveAsync(s, id, "rotated; create a new one");
        var key = Secrets.NewAdminKey();
        var now = clock.GetUtcNow();
        // A revocation that committed since the read above leaves nothing to rotate (the update is conditional on it).
        if (await AdminKeyStore.RotateAsync(s, id, Secrets.Hash(key), now) == 0)
        {
            throw ApiError.Conflict("The admin key was revoked meanwhile; create a new one", ErrorReasons.Revoked, new FieldIssue("id", "is revoked"));
        }
        (audit.Before, audit.After) = (new { id, rotated_at = row.RotatedAt }, new { id, rotated_at = Database.Timestamp(now) });
        await audit.CommitAsync(s);
        return new IssuedAdminKeyView(id, key, IssuedAdminKeyView.ShownOnce);
    });

    public Task<AdminKeyView> RevokeAsync(OperatorActor actor, string id) =>
        OperatorAudit.RunAsync(db, clock, actor, "admin_key.revoke", "admin_key:" + id, async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        var row = await RequireActiveAsync(s, id, "revoked again");
        var now = clock.GetUtcNow();
        await AdminKeyStore.RevokeAsync(s, id, now);
        (audit.Before, audit.After) = (new { id, revoked_at = (string?)null }, new { id, revoked_at = Database.Timestamp(now) });
        await audit.CommitAsync(s);
        row.RevokedAt = Database.Timestamp(now);
        return View(row);
    });

    /// <summary>
    /// The embedded default's first admin key: created only while the store has never had one, under the seeding lock,
    /// so only the start that creates it can show it. Null when a key exists (issue more with <c>admin-keys create</c>).
    /// </summary>
    public Task<IssuedAdminKeyView?> EnsureFirstAsync(OperatorActor actor) =>
        OperatorAudit.RunAsync(db, clock, actor, "admin_key.create", null, async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        await AdminKeyStore.LockAsync(s);
        if (await AdminKeyStore.CountAsync(s) > 0) return null;
        const string label = "embedded default";
        var issued = await InsertAsync(s, label);
        (audit.Target, audit.Status, audit.After) = ("admin_key:" + issued.Id, 201, new { id = issued.Id, label });
        await audit.CommitAsync(s);
        return (IssuedAdminKeyView?)issued;
    });

    private async Task<IssuedAdminKeyView> InsertAsync(DbSession s, string? label)
    {
        var issued = new IssuedAdminKeyView(Guid.NewGuid().ToString(), Secrets.NewAdminKey(), IssuedAdminKeyView.ShownOnce);
        await AdminKeyStore.InsertAsync(s, issued.Id, Secrets.Hash(issued.AdminKey), label, clock.GetUtcNow());
        return issued;
    }

    private static async Task<AdminKeyRow> RequireActiveAsync(DbSession s, string id, string whatRevokedCannotBe)
    {
        var row = await AdminKeyStore.GetAsync(s, id) ?? throw ApiError.NotFound($"Admin key {id} not found");
        if (row.RevokedAt is not null)
        {
            throw ApiError.Conflict($"Admin key {id} is revoked and cannot be {whatRevokedCannotBe}", ErrorReasons.Revoked, new FieldIssue("id", "is revoked"));
        }
        return row;
    }

    private static AdminKeyView View(AdminKeyRow r) => new(r.Id, r.Label, r.CreatedAt, r.RotatedAt, r.RevokedAt);
}
