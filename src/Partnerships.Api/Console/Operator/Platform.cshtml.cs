using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Delivery;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>One platform: its credentials (issue, rotate, revoke), rate limits, webhook endpoint and recent deliveries.</summary>
public sealed class PlatformModel(PlatformAdmin platforms, CredentialAdmin credentials, RateLimitSettings limits, WebhookAdmin hooks,
    DeliveryHistory deliveries) : OperatorPageModel
{
    public const int RecentDeliveries = 20;

    [FromRoute(Name = "platformId")] public string PlatformId { get; set; } = "";
    public PlatformView? Platform { get; private set; }
    public IReadOnlyList<CredentialView> Credentials { get; private set; } = [];
    public PlatformRateLimitsView? Limits { get; private set; }
    public WebhookView? Webhook { get; private set; }
    public IReadOnlyList<OutboxMessageView> Deliveries { get; private set; } = [];

    /// <summary>A secret just issued or rotated: shown on this answer only, never stored, never shown again.</summary>
    public IssuedCredentialView? IssuedCredential { get; private set; }
    public string? IssuedAction { get; private set; }
    public string? IssuedWebhookSecret { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Platform is null ? NotFound() : Page();
    }

    private async Task LoadAsync()
    {
        Platform = await platforms.FindAsync(PlatformId);
        if (Platform is null) return;
        Credentials = await credentials.ListAsync(PlatformId);
        Limits = await limits.ListAsync(PlatformId);
        try { Webhook = await hooks.GetAsync(PlatformId); }
        catch (ApiError e) when (e.Status == 404) { Webhook = null; }
        Deliveries = await deliveries.RecentWebhooksAsync(PlatformId, RecentDeliveries);
    }

    public async Task<IActionResult> OnPostIssueAsync([FromForm(Name = "label")] string? label)
    {
        try
        {
            IssuedCredential = await credentials.IssueAsync(Actor, PlatformId, string.IsNullOrWhiteSpace(label) ? null : label.Trim());
            IssuedAction = "issued";
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, LoadAsync);
        }
        return await ShowSecretAsync();
    }

    public async Task<IActionResult> OnPostRotateAsync([FromForm(Name = "credential_id")] string credentialId)
    {
        try
        {
            IssuedCredential = await credentials.RotateAsync(Actor, credentialId);
            IssuedAction = "rotated";
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, LoadAsync);
        }
        return await ShowSecretAsync();
    }

    public Task<IActionResult> OnPostRevokeAsync([FromForm(Name = "credential_id")] string credentialId) => ActAsync(async () =>
    {
        await credentials.RevokeAsync(Actor, credentialId);
        return $"Credential {credentialId} revoked; its tokens stop working at once.";
    }, LoadAsync);

    public Task<IActionResult> OnPostSetLimitAsync([FromForm(Name = "policy")] string policy, [FromForm(Name = "per_minute")] string? perMinute) => ActAsync(async () =>
    {
        if (!long.TryParse(perMinute, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw ApiError.Field("per_minute", "must be a positive whole number");
        }
        var set = await limits.SetAsync(Actor, PlatformId, policy, value);
        return $"{set.Policy}: {set.PerMinute} requests a minute.";
    }, LoadAsync);

    public Task<IActionResult> OnPostResetLimitAsync([FromForm(Name = "policy")] string policy) => ActAsync(async () =>
    {
        var reset = await limits.ResetAsync(Actor, PlatformId, policy);
        return $"{reset.Policy}: back to the default, {reset.PerMinute} requests a minute.";
    }, LoadAsync);

    public async Task<IActionResult> OnPostSetWebhookAsync([FromForm(Name = "url")] string? url)
    {
        WebhookView hook;
        try
        {
            hook = await hooks.SetUrlAsync(Actor, PlatformId, url);
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, LoadAsync);
        }
        // A new endpoint comes with its signing secret: shown here, once.
        if (hook.Secret is { } secret)
        {
            IssuedWebhookSecret = secret;
            return await ShowSecretAsync();
        }
        Notice = $"Webhook endpoint set to {hook.Url}.";
        return Redirect(HereWithoutHandler());
    }

    public async Task<IActionResult> OnPostRotateWebhookSecretAsync()
    {
        try
        {
            IssuedWebhookSecret = (await hooks.RotateSecretAsync(Actor, PlatformId)).Secret;
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, LoadAsync);
        }
        return await ShowSecretAsync();
    }

    public Task<IActionResult> OnPostEnableWebhookAsync() => ActAsync(async () =>
    {
        await hooks.EnableAsync(Actor, PlatformId);
        return "Webhook endpoint enabled; deliveries resume.";
    }, LoadAsync);

    private async Task<IActionResult> ShowSecretAsync()
    {
        NoStore();
        await LoadAsync();
        return Page();
    }
}
