using System.Text.Json;
using Dapper;
using Partnerships.Core.Controls;

namespace Partnerships.Storage.DataMigrations;

/// <summary>
/// Data migration 11: gives every marketplace controls list that was never named (registration used to store an empty
/// name, which the PUT refuses, so a GET→PUT of it failed) the name registration gives now,
/// <see cref="DefaultControlsName.For"/> of the account's brand. Like any change of the stored state it is the next
/// revision with a new content hash (a client holding the old hash learns the new one from the 409, as after any write).
/// A list with a name keeps it. Every renamed list leaves an audit entry naming the column, never the value.
/// </summary>
public sealed class NameControlsFromBrand : IDataMigration
{
    public int Version => 11;
    public string Name => "name_controls_from_brand";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    public async Task ApplyAsync(DbSession session, MigrationContext context, CancellationToken ct)
    {
        var at = Database.Timestamp(DateTimeOffset.UtcNow);
        var requestId = Guid.NewGuid().ToString();
        var rows = (await session.Connection.QueryAsync<(string AccountId, string PlatformId, string Brand, string Name, string StateJson, long Revision, string ContentHash)>(
            """
            SELECT c.account_id, a.platform_id, a.brand, c.name, c.state_json, c.revision, c.content_hash
            FROM marketplace_controls c JOIN accounts a ON a.id = c.account_id
            """, transaction: session.Transaction)).AsList();
        foreach (var row in rows)
        {
            var state = JsonSerializer.Deserialize<MclState>(row.StateJson, StateJson) ?? MclState.Empty;
            if (!string.IsNullOrWhiteSpace(state.Name)) continue;
            var next = state with { Name = DefaultControlsName.For(row.Brand) };
            var revision = row.Revision + 1;
            var hash = ContentHash.Compute(revision, next);
            await session.Connection.ExecuteAsync(
                "UPDATE marketplace_controls SET name = @Name, state_json = @json, revision = @revision, content_hash = @hash, updated_at = @at WHERE account_id = @AccountId",
                new { next.Name, json = JsonSerializer.Serialize(next, StateJson), revision, hash, at, row.AccountId }, session.Transaction);
            // The audit_log columns of version 1, which every later version keeps.
            await session.Connection.ExecuteAsync(
                """
                INSERT INTO audit_log (at, request_id, platform_id, credential_id, account_id, method, path, status_code, outcome, dry_run,
                                       idem_key, hash_before, hash_after, summary)
                VALUES (@at, @requestId, @PlatformId, NULL, @AccountId, 'MIGRATE', '/data-migrations/11', 200, 'migrated', 0,
                        NULL, @ContentHash, @hash, 'marketplace_controls.name: the empty name set to the default from the brand')
                """,
                new { at, requestId, row.PlatformId, row.AccountId, row.ContentHash, hash }, session.Transaction);
        }
    }
}
