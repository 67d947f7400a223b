using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Partnerships.Api.WebConsole.Pages.Operator;

public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/console/operator");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAuth.OperatorScheme);
        return Redirect("/console?signed_out=1");
    }
}
