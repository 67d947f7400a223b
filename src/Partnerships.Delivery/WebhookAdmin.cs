using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.DataMigrations;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

public sealed record WebhookEndpointView(string PlatformParentAccountId, string Url, string Status, long ConsecutiveFailures, string? DisabledReason, string? Secret);

/// <summary>
/// Operators set a platform's webhook URL, rotate its signing secret (the old one keeps signing for an overlap) and
/// re-enable it. Secrets are stored sealed (<see cref="SecretBox"/>) and shown in clear only when created.
/// </summary>
public sealed class WebhookAdmin(Database db, WebhookOptions options, TimeProvider clock, SecretBox box)
{
    public async Task<WebhookEndpointView> SetUrlAsync(string platformId, string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw ApiError.Field("url", "is required: an absolute https URL");
        }
        if (WebhookTargets.Problem(uri, options.AllowPrivateTargets) is { } problem) throw ApiError.Field("url", problem);
        await using var s = await DbSession.WriteAsync(db);
        if (await PlatformStore.GetAsync(s, platformId) is null) throw ApiError.NotFound($"Platform {platformId} not found");
        var existing = await WebhookStore.GetAsync(s, platformId);
        var secret = existing is null ? WebhookSignature.NewSecret() : null;
        await WebhookStore.UpsertAsync(s, new WebhookEndpointRow
        {
            PlatformId = platformId, Url = uri.ToString(), Secret = existing?.Secret ?? box.Seal(secret!, SealWebhookSecrets.Context(platformId)), PreviousSecret = existing?.PreviousSecret,
            PreviousSecretExpiresAt = existing?.PreviousSecretExpiresAt, Status = "enabled", ConsecutiveFailures = 0,
            UpdatedAt = Database.Timestamp(clock.GetUtcNow()),
        });
        await s.CommitAsync();
        // The secret is shown when it is created, never again.
        return new WebhookEndpointView(platformId, uri.ToString(), "enabled", 0, null, secret);
    }

    public async Task<WebhookEndpointView> RotateSecretAsync(string platformId)
    {
        await using var s = await DbSession.WriteAsync(db);
        var existing = await WebhookStore.GetAsync(s, platformId) ?? throw ApiError.NotFound($"Platform {platformId} has no webhook endpoint");
        var now = clock.GetUtcNow();
        var secret = WebhookSignature.NewSecret();
        existing.PreviousSecret = existing.Secret;
        existing.PreviousSecretExpiresAt = Database.Timestamp(now + options.RotationOverlap);
        existing.Secret = box.Seal(secret, SealWebhookSecrets.Context(platformId));
        existing.UpdatedAt = Database.Timestamp(now);
        await WebhookStore.UpsertAsync(s, existing);
        await s.CommitAsync();
        return View(existing) with { Secret = secret };
    }

    public async Task<WebhookEndpointView> EnableAsync(string platformId)
    {
        await using var s = await DbSession.WriteAsync(db);
        var existing = await WebhookStore.GetAsync(s, platformId) ?? throw ApiError.NotFound($"Platform {platformId} has no webhook endpoint");
        existing.Status = "enabled";
        existing.ConsecutiveFailures = 0;
        existing.DisabledReason = null;
        existing.UpdatedAt = Database.Timestamp(clock.GetUtcNow());
        await WebhookStore.UpsertAsync(s, existing);
        await s.CommitAsync();
        return View(existing);
    }

    public async Task<WebhookEndpointView> GetAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        return View(await WebhookStore.GetAsync(s, platformId) ?? throw ApiError.NotFound($"Platform {platformId} has no webhook endpoint"));
    }

    private static WebhookEndpointView View(WebhookEndpointRow r) => new(r.PlatformId, r.Url, r.Status, r.ConsecutiveFailures, r.DisabledReason, null);
}
