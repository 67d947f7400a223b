using System.Text.Json;
using Dapper;
using Partnerships.Core.Controls;
using Partnerships.Core.Validation;

namespace Partnerships.Storage.DataMigrations;

/// <summary>
/// Data migration 3: rewrites free text stored before <see cref="TextRules"/> existed so every stored value obeys it, and
/// a GET→PUT of existing data passes the new validation. Each value is cleaned by <see cref="TextRules.Clean"/> (line
/// breaks become a space, other refused characters go, trimmed, cut to 200). A required value that cleans to nothing gets
/// a placeholder; an optional one becomes null. A cleaned marketplace controls list is a new revision with a new content
/// hash, because its stored state (and so its strong ETag) changed. Every changed row leaves an audit entry naming the
/// column, never the value.
/// </summary>
public sealed class CleanTextFields : IDataMigration
{
    public int Version => 3;
    public string Name => "clean_text_fields";

    private const int Max = TextRules.DefaultMaxLength;
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    public async Task ApplyAsync(DbSession session, MigrationContext context, CancellationToken ct)
    {
        var run = new Run(session, Guid.NewGuid().ToString(), Database.Timestamp(DateTimeOffset.UtcNow));

        foreach (var row in await run.QueryAsync<(string Id, string PlatformId, string Brand)>("SELECT id, platform_id, brand FROM accounts"))
        {
            var brand = Required(row.Brand, "Unnamed merchant");
            if (brand == row.Brand) continue;
            await run.ExecAsync("UPDATE accounts SET brand = @brand WHERE id = @Id", new { brand, row.Id });
            await run.AuditAsync("accounts.brand", row.PlatformId, row.Id);
        }

        foreach (var row in await run.QueryAsync<(string AccountId, string PlatformId, string Name, string StateJson, long Revision, string ContentHash)>(
                     "SELECT c.account_id, a.platform_id, c.name, c.state_json, c.revision, c.content_hash FROM marketplace_controls c JOIN accounts a ON a.id = c.account_id"))
        {
            var state = JsonSerializer.Deserialize<MclState>(row.StateJson, StateJson) ?? MclState.Empty;
            // A name that was empty stays empty (a list nobody has named yet); one that cleans to nothing gets a placeholder.
            var name = state.Name.Length == 0 ? "" : Required(state.Name, "Marketplace controls");
            if (name == state.Name && name == row.Name) continue;
            var next = state with { Name = name };
            var revision = row.Revision + 1;
            var hash = ContentHash.Compute(revision, next);
            await run.ExecAsync(
                "UPDATE marketplace_controls SET name = @name, state_json = @json, revision = @revision, content_hash = @hash, updated_at = @At WHERE account_id = @AccountId",
                new { name, json = JsonSerializer.Serialize(next, StateJson), revision, hash, run.At, row.AccountId });
            await run.AuditAsync("marketplace_controls.name", row.PlatformId, row.AccountId, row.ContentHash, hash);
        }

        foreach (var row in await run.QueryAsync<(string PlatformId, long V, long S, string? VName, string? SName)>(
                     "SELECT platform_id, partner_vertical_id, partner_sub_vertical_id, partner_vertical_name, partner_sub_vertical_name FROM vertical_mappings"))
        {
            var vName = Optional(row.VName);
            var sName = Optional(row.SName);
            if (vName == row.VName && sName == row.SName) continue;
            await run.ExecAsync(
                "UPDATE vertical_mappings SET partner_vertical_name = @vName, partner_sub_vertical_name = @sName WHERE platform_id = @PlatformId AND partner_vertical_id = @V AND partner_sub_vertical_id = @S",
                new { vName, sName, row.PlatformId, row.V, row.S });
            await run.AuditAsync($"vertical_mappings[{row.V}/{row.S}].names", row.PlatformId, null);
        }

        foreach (var row in await run.QueryAsync<(long Id, string Name)>("SELECT id, name FROM network_categories"))
        {
            var name = Required(row.Name, $"Category {row.Id}");
            if (name == row.Name) continue;
            await run.ExecAsync("UPDATE network_categories SET name = @name WHERE id = @Id", new { name, row.Id });
            await run.AuditAsync($"network_categories[{row.Id}].name", null, null);
        }

        // Platform names are unique: a cleaned name that another platform already has is told apart by the platform's id.
        var platforms = await run.QueryAsync<(string Id, string Name)>("SELECT id, name FROM platforms");
        var taken = platforms.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var row in platforms)
        {
            var name = Required(row.Name, $"Platform {row.Id}");
            if (name == row.Name) continue;
            if (taken.Contains(name)) name = Suffixed(name, row.Id, taken);
            taken.Remove(row.Name);
            taken.Add(name);
            await run.ExecAsync("UPDATE platforms SET name = @name WHERE id = @Id", new { name, row.Id });
            await run.AuditAsync("platforms.name", row.Id, null);
        }

        foreach (var row in await run.QueryAsync<(string Id, string PlatformId, string? Label)>("SELECT id, platform_id, label FROM client_credentials"))
        {
            var label = Optional(row.Label);
            if (label == row.Label) continue;
            await run.ExecAsync("UPDATE client_credentials SET label = @label WHERE id = @Id", new { label, row.Id });
            await run.AuditAsync($"client_credentials[{row.Id}].label", row.PlatformId, null);
        }

        foreach (var row in await run.QueryAsync<(string Id, string? Label)>("SELECT id, label FROM admin_keys"))
        {
            var label = Optional(row.Label);
            if (label == row.Label) continue;
            await run.ExecAsync("UPDATE admin_keys SET label = @label WHERE id = @Id", new { label, row.Id });
            await run.AuditAsync($"admin_keys[{row.Id}].label", null, null);
        }
    }

    /// <summary>Only a value that breaks the rule is rewritten; one that merely has spaces at its ends is left as it is.</summary>
    private static bool Breaks(string value) => TextRules.Problem(value) is not null || value.Length > Max;

    private static string Required(string value, string placeholder)
    {
        if (!Breaks(value)) return value;
        var clean = TextRules.Clean(value, Max);
        return clean.Length == 0 ? placeholder : clean;
    }

    private static string? Optional(string? value)
    {
        if (value is null || !Breaks(value)) return value;
        var clean = TextRules.Clean(value, Max);
        return clean.Length == 0 ? null : clean;
    }

    private static string Suffixed(string name, string id, HashSet<string> taken)
    {
        foreach (var tag in new[] { id.Length > 8 ? id[..8] : id, id })
        {
            var suffix = $" ({tag})";
            var candidate = TextRules.Clean(name, Max - suffix.Length) + suffix;
            if (candidate.Length <= Max && !taken.Contains(candidate)) return candidate;
        }
        return $"Platform {id}";
    }

    private sealed class Run(DbSession session, string requestId, string at)
    {
        public string At => at;

        public async Task<List<T>> QueryAsync<T>(string sql) =>
            (await session.Connection.QueryAsync<T>(sql, transaction: session.Transaction)).ToList();

        public Task ExecAsync(string sql, object args) => session.Connection.ExecuteAsync(sql, args, session.Transaction);

        /// <summary>The audit_log columns of version 1: this migration runs at version 3, whatever later versions add.</summary>
        public Task AuditAsync(string target, string? platformId, string? accountId, string? hashBefore = null, string? hashAfter = null) =>
            session.Connection.ExecuteAsync(
                """
                INSERT INTO audit_log (at, request_id, platform_id, credential_id, account_id, method, path, status_code, outcome, dry_run,
                                       idem_key, hash_before, hash_after, summary)
                VALUES (@at, @requestId, @platformId, NULL, @accountId, 'MIGRATE', '/data-migrations/3', 200, 'migrated', 0,
                        NULL, @hashBefore, @hashAfter, @summary)
                """,
                new { at, requestId, platformId, accountId, hashBefore, hashAfter, summary = $"{target}: cleaned to the text rules (control characters, length)" },
                session.Transaction);
    }
}
