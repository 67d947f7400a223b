using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

public sealed record IssuedCredential(string CredentialId, string PlatformId, string ClientId, string ClientSecret, string? PreviousSecretExpiresAt = null);
public sealed record MappingLoadResult(string PlatformId, int Loaded, int Inserted, int Updated);
public sealed record DemoPlatform(string Name, string PlatformParentAccountId, string ClientId, string ClientSecret);

/// <summary>
/// Everything the network's operators do, shared by the admin HTTP surface and the operator CLI so the two never drift.
/// </summary>
public sealed class OperatorService(Database db, TimeProvider clock)
{
    public const string DemoPlatformOne = "demo-shopfront";
    public const string DemoPlatformMcc = "demo-mcc-commerce";

    public async Task<PlatformRow> CreatePlatformAsync(string? name, string? id = null)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            throw ApiError.Field("name", "is required (1 to 200 characters)");
        }
        await using var s = await DbSession.WriteAsync(db);
        if (await PlatformStore.FindByNameAsync(s, name) is not null)
        {
            throw ApiError.Conflict($"A platform named '{name}' already exists", new FieldIssue("name", "already exists"));
        }
        var row = await PlatformStore.InsertAsync(s, id ?? Guid.NewGuid().ToString(), name, clock.GetUtcNow());
        await s.CommitAsync();
        return row;
    }

    public async Task<IReadOnlyList<PlatformRow>> ListPlatformsAsync()
    {
        await using var s = await DbSession.ReadAsync(db);
        return await PlatformStore.ListAsync(s);
    }

    public async Task<IssuedCredential> IssueCredentialAsync(string platformId, string? label = null)
    {
        CheckLabel(label);
        await using var s = await DbSession.WriteAsync(db);
        await RequirePlatformAsync(s, platformId);
        var issued = new IssuedCredential(Guid.NewGuid().ToString(), platformId, Secrets.NewClientId(), Secrets.NewClientSecret());
        await CredentialStore.InsertAsync(s, new CredentialRow
        {
            Id = issued.CredentialId, PlatformId = platformId, ClientId = issued.ClientId, SecretHash = Secrets.Hash(issued.ClientSecret),
            Generation = 1, Label = label, CreatedAt = Database.Timestamp(clock.GetUtcNow()),
        });
        await s.CommitAsync();
        return issued;
    }

    /// <summary>
    /// A new secret for the same client id. The old secret keeps working for <paramref name="grace"/> (default 24 h) and
    /// outstanding tokens stay valid, so a fleet can roll over; a grace of zero cuts the old secret and its tokens at once.
    /// </summary>
    public async Task<IssuedCredential> RotateCredentialAsync(string credentialId, TimeSpan? grace = null)
    {
        var overlap = CredentialRotation.CheckGrace(grace ?? CredentialRotation.DefaultGrace);
        await using var s = await DbSession.WriteAsync(db);
        var row = await CredentialStore.GetAsync(s, credentialId) ?? throw ApiError.NotFound($"Credential {credentialId} not found");
        if (row.RevokedAt is not null)
        {
            throw ApiError.Conflict("A revoked credential cannot be rotated; issue a new one", new FieldIssue("credential_id", "is revoked"));
        }
        var secret = Secrets.NewClientSecret();
        var previousExpiresAt = overlap > TimeSpan.Zero ? Database.Timestamp(clock.GetUtcNow() + overlap) : null;
        await CredentialStore.RotateAsync(s, credentialId, Secrets.Hash(secret), previousExpiresAt);
        await s.CommitAsync();
        return new IssuedCredential(row.Id, row.PlatformId, row.ClientId, secret, previousExpiresAt);
    }

    public async Task RevokeCredentialAsync(string credentialId)
    {
        await using var s = await DbSession.WriteAsync(db);
        _ = await CredentialStore.GetAsync(s, credentialId) ?? throw ApiError.NotFound($"Credential {credentialId} not found");
        await CredentialStore.RevokeAsync(s, credentialId, clock.GetUtcNow());
        await s.CommitAsync();
    }

    public async Task<IReadOnlyList<CredentialRow>> ListCredentialsAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        await RequirePlatformAsync(s, platformId);
        return await CredentialStore.ListAsync(s, platformId);
    }

    /// <summary>Replaces the network taxonomy; refused when a platform's mapping still targets an id the new file lacks.</summary>
    public async Task<int> LoadTaxonomyAsync(IReadOnlyList<NetworkCategory> categories)
    {
        await using var s = await DbSession.WriteAsync(db);
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
            throw ApiError.BadRequest("Taxonomy load rejected: existing mappings target categories it removes", orphans);
        }
        await TaxonomyStore.ReplaceAsync(s, categories.Select(c => new NetworkCategoryRow
        {
            Id = c.Id, ParentId = c.ParentId, Name = c.Name, Tier = c.Tier, VerticalId = c.VerticalId, SubVerticalId = c.SubVerticalId,
        }));
        await s.CommitAsync();
        return categories.Count;
    }

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
    public async Task<MappingLoadResult> LoadMappingsAsync(string? platformId, IReadOnlyList<MappingInput> rows, IReadOnlyList<FieldIssue>? parseIssues = null)
    {
        if (string.IsNullOrWhiteSpace(platformId))
        {
            throw ApiError.Field("platform_parent_account_id", "is required");
        }
        if (rows.Count == 0 && (parseIssues is null || parseIssues.Count == 0))
        {
            throw ApiError.Field("mappings", "must contain at least one row");
        }
        await using var s = await DbSession.WriteAsync(db);
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
        await s.CommitAsync();
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
    public async Task<AccountRow> SetRelationshipAsync(string accountId, bool active)
    {
        await using var s = await DbSession.WriteAsync(db);
        var account = await AccountStore.LockAsync(s, accountId) ?? throw ApiError.NotFound($"Account {accountId} not found");
        var status = active ? "active" : "revoked";
        await AccountStore.SetRelationshipAsync(s, accountId, status, clock.GetUtcNow());
        await s.CommitAsync();
        account.RelationshipStatus = status;
        return account;
    }

    public async Task<IReadOnlyList<AuditRow>> AuditAsync(AuditQuery query)
    {
        await using var s = await DbSession.ReadAsync(db);
        return await AuditStore.QueryAsync(s, query);
    }

    public async Task<(string Id, string Key)> CreateAdminKeyAsync(string? label)
    {
        CheckLabel(label);
        var key = Secrets.NewAdminKey();
        var id = Guid.NewGuid().ToString();
        await using var s = await DbSession.WriteAsync(db);
        await AdminKeyStore.InsertIfAbsentAsync(s, id, Secrets.Hash(key), label, clock.GetUtcNow());
        await s.CommitAsync();
        return (id, key);
    }

    public async Task RevokeAdminKeyAsync(string id)
    {
        await using var s = await DbSession.WriteAsync(db);
        if (await AdminKeyStore.RevokeAsync(s, id, clock.GetUtcNow()) == 0) throw ApiError.NotFound($"Admin key {id} not found or already revoked");
        await s.CommitAsync();
    }

    /// <summary>The embedded default's operator key, derived from its signing key so every start can print it.</summary>
    public async Task<string> EnsureDerivedAdminKeyAsync(byte[] signingKey)
    {
        var key = Secrets.AdminKeyPrefix + Secrets.Derive(signingKey, "embedded-admin-key");
        await using var s = await DbSession.WriteAsync(db);
        await AdminKeyStore.InsertIfAbsentAsync(s, Secrets.DeterministicId("embedded-admin-key"), Secrets.Hash(key), "embedded default", clock.GetUtcNow());
        await s.CommitAsync();
        return key;
    }

    /// <summary>
    /// Idempotent: creates the two demo platforms with their mappings and credentials if absent, and returns their credentials.
    /// The secrets are derived from the signing key, so a second run prints the same working values.
    /// </summary>
    public async Task<IReadOnlyList<DemoPlatform>> SeedDemoAsync(byte[] signingKey)
    {
        await EnsureTaxonomyAsync();
        var network = NetworkTaxonomyParser.LoadDefault();
        var result = new List<DemoPlatform>();
        foreach (var (name, mappings) in new[]
        {
            (DemoPlatformOne, DemoTaxonomies.FirstPlatform(network)),
            (DemoPlatformMcc, DemoTaxonomies.MccPlatform(network)),
        })
        {
            var platformId = Secrets.DeterministicId("demo-platform:" + name);
            bool exists;
            await using (var s = await DbSession.ReadAsync(db))
            {
                exists = await PlatformStore.GetAsync(s, platformId) is not null;
            }
            if (!exists)
            {
                await CreatePlatformAsync(name, platformId);
            }
            await LoadMappingsAsync(platformId, mappings);
            var clientId = Secrets.ClientIdPrefix + "demo" + Secrets.DeriveHex(signingKey, "demo-client:" + name, 10);
            var secret = Secrets.ClientSecretPrefix + Secrets.Derive(signingKey, "demo-secret:" + name);
            await using (var s = await DbSession.WriteAsync(db))
            {
                var existing = await CredentialStore.FindByClientIdAsync(s, clientId);
                if (existing is null)
                {
                    await CredentialStore.InsertAsync(s, new CredentialRow
                    {
                        Id = Secrets.DeterministicId("demo-credential:" + name), PlatformId = platformId, ClientId = clientId,
                        SecretHash = Secrets.Hash(secret), Generation = 1, Label = "demo", CreatedAt = Database.Timestamp(clock.GetUtcNow()),
                    });
                }
                await s.CommitAsync();
            }
            result.Add(new DemoPlatform(name, platformId, clientId, secret));
        }
        return result;
    }

    private static void CheckLabel(string? label)
    {
        if (label is { Length: > 200 }) throw ApiError.Field("label", "must be at most 200 characters");
    }

    private static async Task RequirePlatformAsync(DbSession s, string platformId)
    {
        if (await PlatformStore.GetAsync(s, platformId) is null)
        {
            throw ApiError.NotFound($"Platform {platformId} not found");
        }
    }
}
