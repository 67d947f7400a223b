using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.DataMigrations;
using Partnerships.Storage.Secrets;
using Partnerships.Storage.Stores;

namespace Partnerships.Delivery;

/// <summary>
/// Operators set a platform's webhook URL, rotate its signing secret (the old one keeps signing for an overlap) and
/// re-enable it. Secrets are stored sealed (<see cref="SecretBox"/>) and shown in clear only when created.
/// </summary>
public sealed class WebhookAdmin(Database db, WebhookOptions options, IWebhookResolver resolver, TimeProvider clock, SecretBox box)
{
    public Task<WebhookView> SetUrlAsync(OperatorActor actor, string platformId, string? url) =>
        Audited(actor, "webhook.set_url", platformId, async audit =>
    {
        // Checked (and resolved) before the write session opens, so no transaction waits on DNS.
        var (target, problem) = await WebhookTargets.CheckAsync(url, options.AllowPrivateTargets, resolver, options.ResolveTimeout);
        if (target is null) throw ApiError.Field("url", problem!);
        var uri = target.Url;
        await using var s = await DbSession.WriteAsync(db);
        if (await PlatformStore.GetAsync(s, platformId) is null) throw ApiError.NotFound($"Platform {platformId} not found");
        var existing = await WebhookStore.GetAsync(s, platformId);
        var secret = existing is null ? WebhookSignature.NewSecret() : null;
        await WebhookStore.UpsertAsync(s, new WebhookEndpointRow
        {
            PlatformId = platformId, Url = uri.AbsoluteUri, Secret = existing?.Secret ?? box.Seal(secret!, SealWebhookSecrets.Context(platformId)), PreviousSecret = existing?.PreviousSecret,
            PreviousSecretExpiresAt = existing?.PreviousSecretExpiresAt, Status = "enabled", ConsecutiveFailures = 0,
            UpdatedAt = Database.Timestamp(clock.GetUtcNow()),
        });
        (audit.Before, audit.After) = (existing is null ? null : new { url = AuditUrl(existing.Url), status = existing.Status },
            new { url = AuditUrl(uri.AbsoluteUri), status = "enabled", secret_created = existing is null });
        await audit.CommitAsync(s);
        // The secret is shown when it is created, never again.
        return new WebhookView(platformId, uri.AbsoluteUri, "enabled", 0, null, secret);
    });

    public Task<WebhookView> RotateSecretAsync(OperatorActor actor, string platformId) =>
        Audited(actor, "webhook.rotate_secret", platformId, async audit =>
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
        // Only when the old secret stops signing: the secrets themselves never reach the audit log.
        audit.After = new { previous_secret_expires_at = existing.PreviousSecretExpiresAt };
        await audit.CommitAsync(s);
        return View(existing) with { Secret = secret };
    });

    public Task<WebhookView> EnableAsync(OperatorActor actor, string platformId) =>
        Audited(actor, "webhook.enable", platformId, async audit =>
    {
        await using var s = await DbSession.WriteAsync(db);
        var existing = await WebhookStore.GetAsync(s, platformId) ?? throw ApiError.NotFound($"Platform {platformId} has no webhook endpoint");
        audit.Before = new { status = existing.Status, consecutive_failures = existing.ConsecutiveFailures, disabled_reason = existing.DisabledReason };
        existing.Status = "enabled";
        existing.ConsecutiveFailures = 0;
        existing.DisabledReason = null;
        existing.UpdatedAt = Database.Timestamp(clock.GetUtcNow());
        await WebhookStore.UpsertAsync(s, existing);
        audit.After = new { status = existing.Status, consecutive_failures = 0 };
        await audit.CommitAsync(s);
        return View(existing);
    });

    public async Task<WebhookView> GetAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        return View(await WebhookStore.GetAsync(s, platformId) ?? throw ApiError.NotFound($"Platform {platformId} has no webhook endpoint"));
    }

    private Task<T> Audited<T>(OperatorActor actor, string action, string platformId, Func<OperatorAuditEntry, Task<T>> work) =>
        OperatorAudit.RunAsync(db, clock, actor, action, "platform:" + platformId, audit =>
        {
            audit.PlatformId = platformId;
            return work(audit);
        });

    /// <summary>The URL as the audit log, logs and events show it: without its query or fragment, where a receiver may have put a token.</summary>
    internal static string AuditUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Path) + (u.Query.Length > 1 ? "?…" : "") : "(unparseable)";

    private static WebhookView View(WebhookEndpointRow r) => new(r.PlatformId, r.Url, r.Status, r.ConsecutiveFailures, r.DisabledReason, null);
}
