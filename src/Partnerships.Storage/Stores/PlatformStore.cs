using Dapper;

namespace Partnerships.Storage.Stores;

public static class PlatformStore
{
    public static async Task<PlatformRow> InsertAsync(DbSession s, string id, string name, DateTimeOffset now)
    {
        var row = new PlatformRow { Id = id, Name = name, CreatedAt = Database.Timestamp(now) };
        await s.Connection.ExecuteAsync("INSERT INTO platforms (id, name, created_at) VALUES (@Id, @Name, @CreatedAt)", row, s.Transaction);
        return row;
    }

    public static Task<PlatformRow?> GetAsync(DbSession s, string id) =>
        s.Connection.QuerySingleOrDefaultAsync<PlatformRow>("SELECT * FROM platforms WHERE id = @id", new { id }, s.Transaction);

    public static Task<PlatformRow?> FindByNameAsync(DbSession s, string name) =>
        s.Connection.QuerySingleOrDefaultAsync<PlatformRow>("SELECT * FROM platforms WHERE name = @name", new { name }, s.Transaction);

    public static async Task<IReadOnlyList<PlatformRow>> ListAsync(DbSession s) =>
        (await s.Connection.QueryAsync<PlatformRow>("SELECT * FROM platforms ORDER BY created_at, id", transaction: s.Transaction)).AsList();

    /// <summary>Takes the platform's row lock: writes that have no account yet (registration) serialise here.</summary>
    public static Task<string?> LockAsync(DbSession s, string id) =>
        s.Connection.QuerySingleOrDefaultAsync<string>($"SELECT id FROM platforms WHERE id = @id{s.Database.ForUpdate}", new { id }, s.Transaction);
}

public static class CredentialStore
{
    /// <summary>Inserts the credential; returns the credentials' new store version (see <see cref="BumpVersionAsync"/>).</summary>
    public static async Task<long> InsertAsync(DbSession s, CredentialRow row)
    {
        await s.Connection.ExecuteAsync(
            """
            INSERT INTO client_credentials (id, platform_id, client_id, secret_hash, generation, label, created_at, revoked_at)
            VALUES (@Id, @PlatformId, @ClientId, @SecretHash, @Generation, @Label, @CreatedAt, @RevokedAt)
            """, row, s.Transaction);
        return await BumpVersionAsync(s);
    }

    public static Task<CredentialRow?> FindByClientIdAsync(DbSession s, string clientId) =>
        s.Connection.QuerySingleOrDefaultAsync<CredentialRow>("SELECT * FROM client_credentials WHERE client_id = @clientId", new { clientId }, s.Transaction);

    public static Task<CredentialRow?> GetAsync(DbSession s, string id) =>
        s.Connection.QuerySingleOrDefaultAsync<CredentialRow>("SELECT * FROM client_credentials WHERE id = @id", new { id }, s.Transaction);

    public static async Task<IReadOnlyList<CredentialRow>> ListAsync(DbSession s, string platformId) =>
        (await s.Connection.QueryAsync<CredentialRow>("SELECT * FROM client_credentials WHERE platform_id = @platformId ORDER BY created_at, id", new { platformId }, s.Transaction)).AsList();

    /// <summary>
    /// A new secret for the same client id. With an overlap the replaced secret stays valid until
    /// <paramref name="previousExpiresAt"/> and outstanding tokens keep working; without one (null) the generation bump
    /// makes the tokens minted so far invalid as well. Returns the credentials' new store version, or null when the
    /// credential is revoked (nothing changed).
    /// </summary>
    public static async Task<long?> RotateAsync(DbSession s, string id, string secretHash, string? previousExpiresAt)
    {
        var changed = await s.Connection.ExecuteAsync(
            previousExpiresAt is null
                ? """
                  UPDATE client_credentials SET secret_hash = @secretHash, previous_secret_hash = NULL, previous_secret_expires_at = NULL,
                      generation = generation + 1 WHERE id = @id AND revoked_at IS NULL
                  """
                : """
                  UPDATE client_credentials SET previous_secret_hash = secret_hash, previous_secret_expires_at = @previousExpiresAt,
                      secret_hash = @secretHash WHERE id = @id AND revoked_at IS NULL
                  """,
            new { id, secretHash, previousExpiresAt }, s.Transaction);
        return changed == 0 ? null : await BumpVersionAsync(s);
    }

    /// <summary>Returns the credentials' new store version, or null when the credential was revoked already.</summary>
    public static async Task<long?> RevokeAsync(DbSession s, string id, DateTimeOffset now)
    {
        var changed = await s.Connection.ExecuteAsync(
            "UPDATE client_credentials SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
            new { id, at = Database.Timestamp(now) }, s.Transaction);
        return changed == 0 ? null : await BumpVersionAsync(s);
    }

    /// <summary>
    /// Bumps the credentials' store version in the caller's transaction, so the change and the bump commit together.
    /// The version row is locked until commit, so versions follow commit order: a reader that sees version N sees every
    /// change numbered N or lower.
    /// </summary>
    public static Task<long> BumpVersionAsync(DbSession s) => s.Connection.ExecuteScalarAsync<long>(
        "UPDATE auth_versions SET version = version + 1 WHERE name = 'credentials' RETURNING version", transaction: s.Transaction);

    /// <summary>The credentials' store version now.</summary>
    public static Task<long> VersionAsync(DbSession s) => s.Connection.ExecuteScalarAsync<long>(
        "SELECT version FROM auth_versions WHERE name = 'credentials'", transaction: s.Transaction);

    /// <summary>
    /// What the token check needs of one credential, and the store version it was read at, in one statement (so one
    /// snapshot): its fields are null when no such credential exists.
    /// </summary>
    public static Task<CredentialValidityRow> GetValidityAsync(DbSession s, string id) => s.Connection.QuerySingleAsync<CredentialValidityRow>(
        """
        SELECT v.version AS store_version, c.platform_id, c.generation, c.revoked_at
        FROM auth_versions v LEFT JOIN client_credentials c ON c.id = @id
        WHERE v.name = 'credentials'
        """, new { id }, s.Transaction);
}

public static class AdminKeyStore
{
    public static Task<int> InsertAsync(DbSession s, string id, string keyHash, string? label, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "INSERT INTO admin_keys (id, key_hash, label, created_at) VALUES (@id, @keyHash, @label, @at)",
        new { id, keyHash, label, at = Database.Timestamp(now) }, s.Transaction);

    /// <summary>Revoked keys too, so a refused attempt with a revoked key can name the key in the audit log.</summary>
    public static Task<AdminKeyRow?> FindByHashAsync(DbSession s, string keyHash) => s.Connection.QuerySingleOrDefaultAsync<AdminKeyRow>(
        "SELECT * FROM admin_keys WHERE key_hash = @keyHash", new { keyHash }, s.Transaction);

    public static Task<AdminKeyRow?> GetAsync(DbSession s, string id) => s.Connection.QuerySingleOrDefaultAsync<AdminKeyRow>(
        "SELECT * FROM admin_keys WHERE id = @id", new { id }, s.Transaction);

    public static async Task<IReadOnlyList<AdminKeyRow>> ListAsync(DbSession s) =>
        (await s.Connection.QueryAsync<AdminKeyRow>("SELECT * FROM admin_keys ORDER BY created_at, id", transaction: s.Transaction)).AsList();

    public static Task<long> CountAsync(DbSession s) =>
        s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM admin_keys", transaction: s.Transaction);

    /// <summary>A new secret under the same id: the old one stops working when this commits.</summary>
    public static Task<int> RotateAsync(DbSession s, string id, string keyHash, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE admin_keys SET key_hash = @keyHash, rotated_at = @at WHERE id = @id AND revoked_at IS NULL",
        new { id, keyHash, at = Database.Timestamp(now) }, s.Transaction);

    public static Task<int> RevokeAsync(DbSession s, string id, DateTimeOffset now) => s.Connection.ExecuteAsync(
        "UPDATE admin_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at = Database.Timestamp(now) }, s.Transaction);

    /// <summary>Serialises the operator seeding (demo platforms, first admin key) across processes (SQLite's write transaction already does).</summary>
    public static Task LockAsync(DbSession s) => s.Database.IsPostgres
        ? s.Connection.ExecuteAsync("SELECT pg_advisory_xact_lock(727140)", transaction: s.Transaction)
        : Task.CompletedTask;
}
