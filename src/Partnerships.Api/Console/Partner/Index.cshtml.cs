using Partnerships.Client;

namespace Partnerships.Api.WebConsole.Pages.Partner;

public sealed class IndexModel : PartnerPageModel
{
    public AccountList? Accounts { get; private set; }

    public async Task OnGetAsync() => Accounts = (await Api.ListAccountsAsync(cancellationToken: HttpContext.RequestAborted)).Data;
}
