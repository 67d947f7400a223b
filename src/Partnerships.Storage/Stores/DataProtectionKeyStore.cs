using Dapper;

namespace Partnerships.Storage.Stores;

/// <summary>The Data Protection key ring's elements (XML text, its secret part already sealed by the caller).</summary>
public static class DataProtectionKeyStore
{
    public static async Task<IReadOnlyList<string>> ListAsync(DbSession s) =>
        (await s.Connection.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name", transaction: s.Transaction)).AsList();

    /// <summary>Keys are never rewritten: a name already stored keeps its first XML (another process wrote the same key).</summary>
    public static Task<int> InsertAsync(DbSession s, string name, string xml, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @at) ON CONFLICT (name) DO NOTHING",
        new { name, xml, at = Database.Timestamp(now) }, s.Transaction);
}
