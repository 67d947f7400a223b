using Partnerships.Core.Taxonomy;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>The embedded default's demo data: two platforms with their mapping tables and a credential each.</summary>
public sealed class DemoSeed(Database db, TimeProvider clock, TaxonomyAdmin taxonomy, MappingAdmin mappings)
{
    public const string DemoPlatformOne = "demo-shopfront";
    public const string DemoPlatformMcc = "demo-mcc-commerce";

    public DemoSeed(Database db, TimeProvider clock) : this(db, clock, new TaxonomyAdmin(db, clock), new MappingAdmin(db, clock))
    {
    }

    /// <summary>
    /// Idempotent: creates the two demo platforms with their mappings and a credential each, all in one transaction,
    /// and returns the credentials of the platforms it created (none when they exist). The secrets are random and stored
    /// hashed like any other, so this is the only time they can be shown.
    /// </summary>
    public async Task<DemoSeedView> SeedAsync(OperatorActor actor)
    {
        await taxonomy.EnsureDefaultAsync();
        var network = NetworkTaxonomyParser.LoadDefault();
        var created = await OperatorAudit.RunAsync(db, clock, actor, "demo.seed", "demo", async audit =>
        {
            await using var s = await DbSession.WriteAsync(db);
            await AdminKeyStore.LockAsync(s);
            var created = new List<DemoPlatform>();
            foreach (var (name, rows) in new[]
            {
                (DemoPlatformOne, DemoTaxonomies.FirstPlatform(network)),
                (DemoPlatformMcc, DemoTaxonomies.MccPlatform(network)),
            })
            {
                // A stable id, so scripts and docs can name the demo platforms; the credentials are what must not be guessable.
                var platformId = Secrets.DeterministicId("demo-platform:" + name);
                if (await PlatformStore.GetAsync(s, platformId) is not null || await PlatformStore.FindByNameAsync(s, name) is not null) continue;
                await PlatformStore.InsertAsync(s, platformId, name, clock.GetUtcNow());
                await mappings.LoadInAsync(s, platformId, rows, null);
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
        return new DemoSeedView(created, created.Count > 0
            ? "The client secrets are shown once; store them now."
            : "The demo platforms exist; issue new credentials with `partnerships credentials issue --platform <id>`.");
    }
}
