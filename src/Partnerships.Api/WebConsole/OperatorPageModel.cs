using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnerships.Application.Operators;

namespace Partnerships.Api.WebConsole;

/// <summary>An operator console page: the signed-in admin key's actor, audited as the admin routes' are.</summary>
public abstract class OperatorPageModel : PageModel
{
    /// <summary>The actor of this request's operator action: <c>console:&lt;admin key id&gt;</c>, with its method and path.</summary>
    protected OperatorActor Actor => ConsoleAuth.Actor(HttpContext);

    /// <summary>A sentence to show at the top of the page after an action (carried across the redirect in TempData).</summary>
    [TempData] public string? Notice { get; set; }
}
