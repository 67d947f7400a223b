using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

public sealed record IssuedCredential(string CredentialId, string PlatformId, string ClientId, string ClientSecret, string? PreviousSecretExpiresAt = null);
public sealed record MappingLoadResult(string PlatformId, int Loaded, int Inserted, int Updated);
public sealed record DemoPlatform(string Name, string PlatformParentAccountId, string ClientId, string ClientSecret);
public sealed record IssuedAdminKey(string Id, string Key);
public sealed record AdminKeyInfo(string Id, string? Label, string CreatedAt, string? RotatedAt, string? RevokedAt);

/// <summary>
/// Everything the network's operators do, shared by the admin HTTP surface and the operator CLI so the two never drift.
/// Every action that changes something takes its actor and writes its own audit entry (<see cref="OperatorAudit"/>).
/// A server passes its <see cref="CredentialValidity"/>, so a credential it changes is checked anew there at once (other
/// processes, the CLI's included, see the change through the credentials' store version).
/// </summary>
public sealed partial class OperatorService(Database db, TimeProvider clock, CredentialValidity? credentials = null)
{
    public const string DemoPlatformOne = "demo-shopfront";
    public const string DemoPlatformMcc = "demo-mcc-commerce";

    public Task<PlatformRow> CreatePlatformAsync(OperatorActor actor, string? name) => Audited(actor, "platform.create", null, async audit =>
    {
        name = TextRules.Check(name ?? "", 1, TextRules.DefaultMaxLength, out var issue) ?? throw ApiError.Field("name", issue!);
        await using var s = await DbSession.WriteAsync(db);
        if (await PlatformStore.FindByNameAsync(s, name) is not null)
        {
            throw ApiError.Conflict($"A platform named '{name}' already exists", ErrorReasons.NameTaken, new FieldIssue("name", "already exists"));
        }
        var row = await PlatformStore.InsertAsync(s, Guid.NewGuid().ToString(), name, clock.GetUtcNow());
        (audit.Target, audit.PlatformId, audit.Status, audit.After) = ("platform:" + row.Id, row.Id, 201, new { name });
        await audit.CommitAsync(s);
        return row;
    });

    public async Task<IReadOnlyList<PlatformRow>> ListPlatformsAsync()
    {
        await using var s = await DbSession.ReadAsync(db);
        return await PlatformStore.ListAsync(s);
    }

    public Task<IssuedCredential> IssueCredentialAsync(OperatorActor actor, string platformId, string? label = null) =>
        Audited(actor, "credential.issue", "platform:" + platformId, async audit =>
    {
        audit.PlatformId = platformId;
        CheckLabel(label);
        await using var s = await DbSession.WriteAsync(db);
        await RequirePlatformAsync(s, platformId);
        var issued = new IssuedCredential(Guid.NewGuid().ToString(), platformId, Secrets.NewClientId(), Secrets.NewClientSecret());
        var version = await CredentialStore.InsertAsync(s, new CredentialRow
        {
            Id = issued.CredentialId, PlatformId = platformId, ClientId = issued.ClientId, SecretHash = Secrets.Hash(issued.ClientSecret),
            Generation = 1, Label = label, CreatedAt = Database.Timestamp(clock.GetUtcNow()),
        });
        (audit.Target, audit.Status) = ("credential:" + issued.CredentialId, 201);
        audit.After = new { credential_id = issued.CredentialId, client_id = issued.ClientId, label };
        await audit.CommitAsync(s);
        credentials?.Changed(version);
        return issued;
    });

    /// <summary>
    /// A new secret for the same client id. The old secret keeps working for <paramref name="grace"/> (default 24 h) and
    /// outstanding tokens stay valid, so a fleet can roll over; a grace of zero cuts the old secret and its tokens at once.
    /// </summary>
    public Task<IssuedCredential> RotateCredentialAsync(OperatorActor actor, string credentialId, TimeSpan? grace = null) =>
        Audited(actor, "credential.rotate", "credential:" + credentialId, async audit =>
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
        return new IssuedCredential(row.Id, row.PlatformId, row.ClientId, secret, previousExpiresAt);
    });

    public Task RevokeCredentialAsync(OperatorActor actor, string credentialId) =>
        Audited(actor, "credential.revoke", "credential:" + credentialId, async audit =>
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
        return true;
    });

    public async Task<IReadOnlyList<CredentialRow>> ListCredentialsAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        await RequirePlatformAsync(s, platformId);
        return await CredentialStore.ListAsync(s, platformId);
    }

    /// <summary>Replaces the network taxonomy; refused when a platform's mapping still targets an id the new file lacks.</summary>
    public Task<int> LoadTaxonomyAsync(OperatorActor actor, IReadOnlyList<NetworkCategory> categories) =>
        Audited(actor, "taxonomy.load", "network-taxonomy", async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        audit.Before = new { categories = await TaxonomyStore.CountAsync(s) };
        var ids = categories.Select(c => c.Id).ToHashSet();
        var orphans = new List<FieldIssue>();
        foreach (var platform in await PlatformStore.ListAsync(s))
        {
            foreach (var mapping in await MappingStore.ListAsync(s, platform.Id))
            {
                if (!ids.Contains(mapping.NetworkCategoryId))
                {
                    orphans.Add(new FieldIssue($"platforms[{platform.Id}].mappings[{mapping.PartnerVerticalId}/{mapping.PartnerSubVerticalId}]",
                        $"maps to network category {mapping.NetworkCategoryId}, which the new taxonomy does not contain"));
                }
            }
        }
        if (orphans.Count > 0)
        {
            throw ApiError.BadRequestAsWhole("Taxonomy load rejected: existing mappings target categories it removes", orphans);
        }
        await TaxonomyStore.ReplaceAsync(s, categories.Select(c => new NetworkCategoryRow
        {
            Id = c.Id, ParentId = c.ParentId, Name = c.Name, Tier = c.Tier, VerticalId = c.VerticalId, SubVerticalId = c.SubVerticalId,
        }));
        audit.After = new { categories = categories.Count };
        await audit.CommitAsync(s);
        return categories.Count;
    });

    /// <summary>
    /// Loads the shipped default (IAB Ad Product Taxonomy 2.0) when the store has no taxonomy yet. Check and load are one
    /// transaction under a lock, so processes starting together on one store load it once.
    /// </summary>
    public async Task<bool> EnsureTaxonomyAsync()
    {
        await using var s = await DbSession.WriteAsync(db);
        await TaxonomyStore.LockAsync(s);
        if (await TaxonomyStore.CountAsync(s) > 0) return false;
        await TaxonomyStore.ReplaceAsync(s, NetworkTaxonomyParser.LoadDefault().Select(c => new NetworkCategoryRow
        {
            Id = c.Id, ParentId = c.ParentId, Name = c.Name, Tier = c.Tier, VerticalId = c.VerticalId, SubVerticalId = c.SubVerticalId,
        }));
        await s.CommitAsync();
        return true;
    }

    public async Task<IReadOnlyList<NetworkCategoryRow>> NetworkTaxonomyAsync()
    {
        await using var s = await DbSession.ReadAsync(db);
        return await TaxonomyStore.ListAsync(s);
    }

    /// <summary>Atomic: every row is checked first and one bad row rejects the whole load, naming every bad row.</summary>
    public Task<MappingLoadResult> LoadMappingsAsync(OperatorActor actor, string? platformId, IReadOnlyList<MappingInput> rows,
        IReadOnlyList<FieldIssue>? parseIssues = null) => Audited(actor, "mappings.load", platformId is null ? null : "platform:" + platformId, async audit =>
    {
        audit.PlatformId = platformId;
        if (string.IsNullOrWhiteSpace(platformId))
        {
            throw ApiError.Field("platform_parent_account_id", "is required");
        }
        if (rows.Count == 0 && (parseIssues is null || parseIssues.Count == 0))
        {
            throw ApiError.Field("mappings", "must contain at least one row");
        }
        await using var s = await DbSession.WriteAsync(db);
        var result = await LoadMappingsInAsync(s, platformId, rows, parseIssues);
        audit.After = new { loaded = result.Loaded, inserted = result.Inserted, updated = result.Updated };
        await audit.CommitAsync(s);
        return result;
    });

    /// <summary>The load itself, in the caller's transaction.</summary>
    private async Task<MappingLoadResult> LoadMappingsInAsync(DbSession s, string platformId, IReadOnlyList<MappingInput> rows, IReadOnlyList<FieldIssue>? parseIssues)
    {
        await RequirePlatformAsync(s, platformId);
        var network = (await TaxonomyStore.ListAsync(s)).ToDictionary(r => r.Id, r => new NetworkCategory(
            r.Id, r.ParentId, r.Name, (int)r.Tier, r.VerticalId, r.SubVerticalId));
        MappingImport.Validate(rows, network, parseIssues);
        var existing = (await MappingStore.ListAsync(s, platformId))
            .Select(m => (m.PartnerVerticalId, m.PartnerSubVerticalId)).ToHashSet();
        var now = Database.Timestamp(clock.GetUtcNow());
        var distinct = rows.DistinctBy(r => (r.PartnerVerticalId, r.PartnerSubVerticalId)).ToList();
        await MappingStore.UpsertAsync(s, distinct.Select(r => new MappingRowData
        {
            PlatformId = platformId, PartnerVerticalId = r.PartnerVerticalId, PartnerSubVerticalId = r.PartnerSubVerticalId,
            PartnerVerticalName = r.PartnerVerticalName, PartnerSubVerticalName = r.PartnerSubVerticalName,
            NetworkCategoryId = r.NetworkSubVerticalId,
            NetworkSubVerticalId = network[r.NetworkSubVerticalId].SubVerticalId ?? r.NetworkSubVerticalId,
            UpdatedAt = now,
        }));
        var updated = distinct.Count(r => existing.Contains((r.PartnerVerticalId, r.PartnerSubVerticalId)));
        return new MappingLoadResult(platformId, distinct.Count, distinct.Count - updated, updated);
    }

    public async Task<IReadOnlyList<MappingRowData>> MappingsAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        await RequirePlatformAsync(s, platformId);
        return await MappingStore.ListAsync(s, platformId);
    }

    /// <summary>Revokes or restores a platform's relationship to one of its accounts; a revoked relationship makes the partner's calls 403.</summary>
    public Task<AccountRow> SetRelationshipAsync(OperatorActor actor, string accountId, bool active) =>
        Audited(actor, active ? "relationship.restore" : "relationship.revoke", "account:" + accountId, async audit =>
    {
        audit.AccountId = accountId;
        await using var s = await DbSession.WriteAsync(db);
        var account = await AccountStore.LockAsync(s, accountId) ?? throw ApiError.NotFound($"Account {accountId} not found");
        audit.PlatformId = account.PlatformId;
        var status = active ? "active" : "revoked";
        await AccountStore.SetRelationshipAsync(s, accountId, status, clock.GetUtcNow());
        (audit.Before, audit.After) = (new { relationship_status = account.RelationshipStatus }, new { relationship_status = status });
        await audit.CommitAsync(s);
        account.RelationshipStatus = status;
        return account;
    });

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(AuditQuery query)
    {
        await using var s = await DbSession.ReadAsync(db);
        return await AuditStore.QueryAsync(s, query);
    }

    /// <summary>
    /// Idempotent: creates the two demo platforms with their mappings and a credential each, all in one transaction,
    /// and returns the credentials of the platforms it created (none when they exist). The secrets are random and stored
    /// hashed like any other, so this is the only time they can be shown.
    /// </summary>
    public async Task<IReadOnlyList<DemoPlatform>> SeedDemoAsync(OperatorActor actor)
    {
        await EnsureTaxonomyAsync();
        var network = NetworkTaxonomyParser.LoadDefault();
        return await Audited(actor, "demo.seed", "demo", async audit =>
        {
            await using var s = await DbSession.WriteAsync(db);
            await AdminKeyStore.LockAsync(s);
            var created = new List<DemoPlatform>();
            foreach (var (name, mappings) in new[]
            {
                (DemoPlatformOne, DemoTaxonomies.FirstPlatform(network)),
                (DemoPlatformMcc, DemoTaxonomies.MccPlatform(network)),
            })
            {
                // A stable id, so scripts and docs can name the demo platforms; the credentials are what must not be guessable.
                var platformId = Secrets.DeterministicId("demo-platform:" + name);
                if (await PlatformStore.GetAsync(s, platformId) is not null || await PlatformStore.FindByNameAsync(s, name) is not null) continue;
                await PlatformStore.InsertAsync(s, platformId, name, clock.GetUtcNow());
                await LoadMappingsInAsync(s, platformId, mappings, null);
                var clientId = Secrets.NewClientId();
                var secret = Secrets.NewClientSecret();
                await CredentialStore.InsertAsync(s, new CredentialRow
                {
                    Id = Guid.NewGuid().ToString(), PlatformId = platformId, ClientId = clientId, SecretHash = Secrets.Hash(secret),
                    Generation = 1, Label = "demo", CreatedAt = Database.Timestamp(clock.GetUtcNow()),
                });
                created.Add(new DemoPlatform(name, platformId, clientId, secret));
            }
            if (created.Count == 0) return created;
            audit.After = new { created = created.Select(d => new { name = d.Name, platform_parent_account_id = d.PlatformParentAccountId, client_id = d.ClientId }) };
            await audit.CommitAsync(s);
            return created;
        });
    }
    private Task<T> Audited<T>(OperatorActor actor, string action, string? target, Func<OperatorAuditEntry, Task<T>> work) =>
        OperatorAudit.RunAsync(db, clock, actor, action, target, work);

    internal static void CheckLabel(string? label)
    {
        // Optional free text under the text rules; kept as given, as labels always were.
        if (label is not null && TextRules.Check(label, 0, TextRules.DefaultMaxLength, out var issue) is null) throw ApiError.Field("label", issue!);
        // Stored untrimmed, so the bound applies to the label as given, spaces included.
        if (label is { Length: > TextRules.DefaultMaxLength }) throw ApiError.Field("label", $"must be at most {TextRules.DefaultMaxLength} characters");
    }

    internal static async Task RequirePlatformAsync(DbSession s, string platformId)
    {
        if (await PlatformStore.GetAsync(s, platformId) is null)
        {
            throw ApiError.NotFound($"Platform {platformId} not found");
        }
    }
}
