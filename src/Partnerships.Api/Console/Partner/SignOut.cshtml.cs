using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Partnerships.Api.WebConsole.Pages.Partner;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/console/partner");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAuth.PartnerScheme);
        return Redirect("/console?signed_out=1");
    }
}
