using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnerships.Application.Operators;
using Partnerships.Storage;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>Ends the operator's console session; audited as <c>console.sign_out</c>.</summary>
public sealed class SignOutModel(Database db, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => Redirect("/console/operator");

    public async Task<IActionResult> OnPostAsync()
    {
        var actor = ConsoleAuth.Actor(HttpContext);
        var keyId = User.FindFirstValue(ConsoleAuth.KeyIdClaim);
        await HttpContext.SignOutAsync(ConsoleAuth.OperatorScheme);
        await OperatorAudit.RecordAsync(db, clock, actor, "console.sign_out", "admin_key:" + keyId, 302);
        return Redirect("/console?signed_out=1");
    }
}
