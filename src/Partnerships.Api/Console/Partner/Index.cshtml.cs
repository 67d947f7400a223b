using Microsoft.AspNetCore.Mvc;
using Partnerships.Client;

namespace Partnerships.Api.WebConsole.Pages.Partner;

/// <summary>The platform's merchants, newest first, a page at a time (the API's cursor: the last account of the page).</summary>
public sealed class IndexModel : PartnerPageModel
{
    public const int PageSize = 25;

    public AccountList? Accounts { get; private set; }

    [BindProperty(Name = "starting_after", SupportsGet = true)] public string? StartingAfter { get; set; }
    [BindProperty(Name = "status", SupportsGet = true)] public string? Status { get; set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        AccountStatus? status = Status switch { "active" => AccountStatus.Active, "paused" => AccountStatus.Paused, _ => null };
        if (status is null) Status = null;
        try
        {
            Accounts = (await Api.ListAccountsAsync(new AccountListOptions(PageSize, string.IsNullOrEmpty(StartingAfter) ? null : StartingAfter, null, status),
                HttpContext.RequestAborted)).Data;
        }
        catch (PartnershipsApiException e) when (e.StatusCode == 400)
        {
            Error = e.Message;
        }
    }

    public string NextPage() => "/console/partner?starting_after=" + Uri.EscapeDataString(Accounts!.Items[^1].AccountId) + (Status is null ? "" : "&status=" + Status);
}
