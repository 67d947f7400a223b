using Microsoft.AspNetCore.Mvc;
using Partnerships.Client;

namespace Partnerships.Api.WebConsole.Pages.Partner;

/// <summary>
/// Pause or resume a merchant. The first step rehearses the switch (a dry-run) and lists every page variant it would
/// cascade to; the confirmation sends it with the Idempotency-Key made when that confirmation was rendered.
/// </summary>
public sealed class StatusModel : PartnerPageModel
{
    public string AccountId { get; private set; } = "";
    public string Brand { get; private set; } = "";
    public AccountState? Current { get; private set; }

    /// <summary>The dry-run of the switch awaiting confirmation.</summary>
    public AccountState? Proposed { get; private set; }
    public AccountStatus? Target { get; private set; }
    public string IdempotencyKey { get; private set; } = "";
    public PartnershipsResponse<AccountState>? Done { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string accountId)
    {
        AccountId = accountId;
        await LoadAsync();
    }

    public async Task OnPostPreviewAsync(string accountId, string status)
    {
        AccountId = accountId;
        await LoadAsync();
        if (!TryStatus(status, out var target)) return;
        try
        {
            Proposed = (await Api.SetStatusDryRunAsync(AccountId, target, Guid.NewGuid().ToString(), HttpContext.RequestAborted)).Data;
            Target = target;
            IdempotencyKey = Guid.NewGuid().ToString();
        }
        catch (PartnershipsApiException e) when (e.StatusCode is 400 or 409 or 422 or 429)
        {
            Error = e.Message;
        }
    }

    public async Task OnPostConfirmAsync(string accountId, string status, [FromForm(Name = "idempotency_key")] string? key)
    {
        AccountId = accountId;
        if (!TryStatus(status, out var target) || !Guid.TryParse(key, out _))
        {
            Error ??= "This confirmation has no usable Idempotency-Key; start again.";
            await LoadAsync();
            return;
        }
        var before = (await Api.GetStatusAsync(AccountId, HttpContext.RequestAborted)).Data;
        try
        {
            Done = await Api.SetStatusAsync(AccountId, target, key, HttpContext.RequestAborted);
            Proposed = Done.Data;
            Target = target;
        }
        catch (PartnershipsApiException e) when (e.StatusCode is 400 or 409 or 422 or 429)
        {
            Error = e.Message;
        }
        await LoadAsync();
        // The variants as they were before this confirmation, so the answer shows each one's before and after.
        Previous = before;
    }

    /// <summary>The variants before the confirmed switch.</summary>
    public AccountState? Previous { get; private set; }

    public string? BeforeOf(string variantId) =>
        (Previous ?? Current)?.Variants.FirstOrDefault(v => v.PageVariantId == variantId)?.Status;

    private async Task LoadAsync()
    {
        var account = Api.GetAccountAsync(AccountId, HttpContext.RequestAborted);
        var status = Api.GetStatusAsync(AccountId, HttpContext.RequestAborted);
        await Task.WhenAll(account, status);
        Brand = (await account).Data.Brand;
        Current = (await status).Data;
    }

    private bool TryStatus(string? value, out AccountStatus status)
    {
        status = value == "paused" ? AccountStatus.Paused : AccountStatus.Active;
        if (value is "paused" or "active") return true;
        Error = "Choose pause or resume.";
        return false;
    }

    public static string Wire(AccountStatus s) => s == AccountStatus.Paused ? "paused" : "active";
}
