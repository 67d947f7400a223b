using Dapper;

namespace Partnerships.Storage.Stores;

public sealed class SigningKeyRow
{
    public string Kid { get; set; } = "";
    public string KeySealed { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? RetiredAt { get; set; }
}

public static class SigningKeyStore
{
    /// <summary>Keys still able to verify a token: the current ones and those retired after <paramref name="retiredAfter"/>.</summary>
    public static async Task<IReadOnlyList<SigningKeyRow>> ListUsableAsync(DbSession s, string retiredAfter) =>
        (await s.Connection.QueryAsync<SigningKeyRow>(
            "SELECT * FROM signing_keys WHERE retired_at IS NULL OR retired_at > @retiredAfter ORDER BY created_at, kid",
            new { retiredAfter }, s.Transaction)).AsList();

    public static async Task<IReadOnlyList<SigningKeyRow>> ListAsync(DbSession s) =>
        (await s.Connection.QueryAsync<SigningKeyRow>("SELECT * FROM signing_keys ORDER BY created_at, kid", transaction: s.Transaction)).AsList();

    public static Task<long> CountAsync(DbSession s) =>
        s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM signing_keys", transaction: s.Transaction);

    /// <summary>Serialises key-ring changes across processes (SQLite's write transaction already does).</summary>
    public static Task LockAsync(DbSession s) => s.Database.IsPostgres
        ? s.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727102)", transaction: s.Transaction)
        : Task.CompletedTask;

    public static Task InsertAsync(DbSession s, SigningKeyRow row) => s.Connection.ExecuteAsync(
        "INSERT INTO signing_keys (kid, key_sealed, created_at, retired_at) VALUES (@Kid, @KeySealed, @CreatedAt, @RetiredAt)", row, s.Transaction);

    public static Task<int> RetireCurrentAsync(DbSession s, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE signing_keys SET retired_at = @at WHERE retired_at IS NULL", new { at = Database.Timestamp(now) }, s.Transaction);
}
