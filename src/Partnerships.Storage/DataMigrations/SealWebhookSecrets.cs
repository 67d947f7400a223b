using Dapper;
using Partnerships.Storage.Secrets;

namespace Partnerships.Storage.DataMigrations;

/// <summary>Seals webhook signing secrets stored in clear (written before secrets were sealed at rest), in place.</summary>
public sealed class SealWebhookSecrets : IDataMigration
{
    public int Version => 7;
    public string Name => "seal_webhook_secrets";

    /// <summary>The associated data a webhook secret is sealed under: the platform owning the endpoint.</summary>
    public static string Context(string platformId) => "webhook_endpoints/" + platformId;

    public async Task ApplyAsync(DbSession session, MigrationContext context, CancellationToken ct)
    {
        var rows = (await session.Connection.QueryAsync<(string PlatformId, string Secret, string? PreviousSecret)>(
            "SELECT platform_id, secret, previous_secret FROM webhook_endpoints", transaction: session.Transaction)).AsList();
        var clear = rows.Where(r => !SecretBox.IsSealed(r.Secret) || (r.PreviousSecret is not null && !SecretBox.IsSealed(r.PreviousSecret))).ToList();
        if (clear.Count == 0) return;
        if (context.SecretKey is null)
        {
            throw new InvalidOperationException(
                $"{clear.Count} webhook signing secret(s) are stored in clear and no secrets key is given: set Secrets:EncryptionKey (base64, 32 bytes) and migrate again.");
        }
        var box = new SecretBox(context.SecretKey);
        foreach (var row in clear)
        {
            var aad = Context(row.PlatformId);
            await session.Connection.ExecuteAsync(
                "UPDATE webhook_endpoints SET secret = @secret, previous_secret = @previous WHERE platform_id = @id",
                new
                {
                    id = row.PlatformId,
                    secret = SecretBox.IsSealed(row.Secret) ? row.Secret : box.Seal(row.Secret, aad),
                    previous = row.PreviousSecret is null || SecretBox.IsSealed(row.PreviousSecret) ? row.PreviousSecret : box.Seal(row.PreviousSecret, aad),
                }, session.Transaction);
        }
    }
}
