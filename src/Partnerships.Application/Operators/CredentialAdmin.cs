using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>
/// A platform's OAuth client credentials: issue, rotate, revoke, list. A server passes its <see cref="CredentialValidity"/>,
/// so a credential it changes is checked anew there at once (other processes, the CLI's included, see the change through
/// the credentials' store version).
/// </summary>
public sealed class CredentialAdmin(Database db, TimeProvider clock, CredentialValidity? credentials = null)
{
    public Task<IssuedCredentialView> IssueAsync(OperatorActor actor, string platformId, string? label = null) =>
        OperatorAudit.RunAsync(db, clock, actor, "credential.issue", "platform:" + platformId, async audit =>
    {
        audit.PlatformId = platformId;
        OperatorChecks.CheckLabel(label);
        await using var s = await DbSession.WriteAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        var (credentialId, clientId, secret) = (Guid.NewGuid().ToString(), Secrets.NewClientId(), Secrets.NewClientSecret());
        var version = await CredentialStore.InsertAsync(s, new CredentialRow
        {
            Id = credentialId, PlatformId = platformId, ClientId = clientId, SecretHash = Secrets.Hash(secret),
            Generation = 1, Label = label, CreatedAt = Database.Timestamp(clock.GetUtcNow()),
        });
        (audit.Target, audit.Status) = ("credential:" + credentialId, 201);
        audit.After = new { credential_id = credentialId, client_id = clientId, label };
        await audit.CommitAsync(s);
        credentials?.Changed(version);
        return new IssuedCredentialView(credentialId, platformId, clientId, secret, null, IssuedCredentialView.ShownOnce);
    });

    /// <summary>
    /// A new secret for the same client id. The old secret keeps working for <paramref name="grace"/> (default 24 h) and
    /// outstanding tokens stay valid, so a fleet can roll over; a grace of zero cuts the old secret and its tokens at once.
    /// </summary>
    public Task<IssuedCredentialView> RotateAsync(OperatorActor actor, string credentialId, TimeSpan? grace = null) =>
        OperatorAudit.RunAsync(db, clock, actor, "credential.rotate", "credential:" + credentialId, async audit =>
    {
        var overlap = CredentialRotation.CheckGrace(grace ?? CredentialRotation.DefaultGrace);
        await using var s = await DbSession.WriteAsync(db);
        var row = await CredentialStore.GetAsync(s, credentialId) ?? throw ApiError.NotFound($"Credential {credentialId} not found");
        audit.PlatformId = row.PlatformId;
        if (row.RevokedAt is not null)
        {
            throw ApiError.Conflict("A revoked credential cannot be rotated; issue a new one", ErrorReasons.Revoked, new FieldIssue("credential_id", "is revoked"));
        }
        var secret = Secrets.NewClientSecret();
        var previousExpiresAt = overlap > TimeSpan.Zero ? Database.Timestamp(clock.GetUtcNow() + overlap) : null;
        // A revocation that committed since the read above leaves nothing to rotate (the update is conditional on it).
        if (await CredentialStore.RotateAsync(s, credentialId, Secrets.Hash(secret), previousExpiresAt) is not { } version)
        {
            throw ApiError.Conflict("A revoked credential cannot be rotated; issue a new one", ErrorReasons.Revoked, new FieldIssue("credential_id", "is revoked"));
        }
        (audit.Before, audit.After) = (new { client_id = row.ClientId, generation = row.Generation },
            new { client_id = row.ClientId, generation = previousExpiresAt is null ? row.Generation + 1 : row.Generation, previous_secret_expires_at = previousExpiresAt });
        await audit.CommitAsync(s);
        credentials?.Changed(version);
        return new IssuedCredentialView(row.Id, row.PlatformId, row.ClientId, secret, previousExpiresAt, IssuedCredentialView.ShownOnce);
    });

    public Task<CredentialRevokedView> RevokeAsync(OperatorActor actor, string credentialId) =>
        OperatorAudit.RunAsync(db, clock, actor, "credential.revoke", "credential:" + credentialId, async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        var row = await CredentialStore.GetAsync(s, credentialId) ?? throw ApiError.NotFound($"Credential {credentialId} not found");
        audit.PlatformId = row.PlatformId;
        var now = clock.GetUtcNow();
        var version = await CredentialStore.RevokeAsync(s, credentialId, now);
        (audit.Before, audit.After) = (new { client_id = row.ClientId, revoked_at = row.RevokedAt },
            new { client_id = row.ClientId, revoked_at = row.RevokedAt ?? Database.Timestamp(now) });
        await audit.CommitAsync(s);
        if (version is { } changed) credentials?.Changed(changed);
        return new CredentialRevokedView(credentialId, true);
    });

    public async Task<IReadOnlyList<CredentialView>> ListAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        return (await CredentialStore.ListAsync(s, platformId)).Select(c => new CredentialView(c.Id, c.ClientId, c.Label, c.CreatedAt, c.RevokedAt)).ToList();
    }
}
