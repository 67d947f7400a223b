using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>A platform's merchants, newest first, with their relationship revoked or restored by the operator.</summary>
public sealed class MerchantsModel(PlatformAdmin platforms, MerchantDirectory merchants, RelationshipAdmin relationships) : OperatorPageModel
{
    [FromRoute(Name = "platformId")] public string PlatformId { get; set; } = "";
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    public PlatformView? Platform { get; private set; }
    public MerchantPageView? Merchants { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Platform is null ? NotFound() : Page();
    }

    private async Task LoadAsync()
    {
        Platform = await platforms.FindAsync(PlatformId);
        if (Platform is null) return;
        PageNumber = Math.Max(1, PageNumber);
        Merchants = await merchants.ListAsync(PlatformId, (PageNumber - 1) * PageSize, PageSize);
    }

    public Task<IActionResult> OnPostRevokeAsync([FromForm(Name = "account_id")] string accountId) => ActAsync(async () =>
    {
        await relationships.RevokeAsync(Actor, accountId);
        return $"Relationship with account {accountId} revoked: the platform's calls for it are refused (403) until it is restored.";
    }, LoadAsync);

    public Task<IActionResult> OnPostRestoreAsync([FromForm(Name = "account_id")] string accountId) => ActAsync(async () =>
    {
        await relationships.RestoreAsync(Actor, accountId);
        return $"Relationship with account {accountId} restored.";
    }, LoadAsync);
}
