using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// An operator console page: the signed-in admin key's actor (audited as the admin routes' are), and the one way its
/// actions end — a notice after a redirect (so a refresh does not repeat the action), or the refusal on the page itself.
/// </summary>
public abstract class OperatorPageModel : PageModel
{
    /// <summary>The actor of this request's operator action: <c>console:&lt;admin key id&gt;</c>, with its method and path.</summary>
    protected OperatorActor Actor => ConsoleAuth.Actor(HttpContext);

    /// <summary>A sentence to show at the top of the page after an action (carried across the redirect in TempData).</summary>
    [TempData] public string? Notice { get; set; }

    /// <summary>The refusal of this request's action, with the fields it names.</summary>
    public ApiError? Refusal { get; private set; }

    /// <summary>Runs an operator action: on success, a redirect to the page with <paramref name="notice"/>; refused, the page again with the reason.</summary>
    protected async Task<IActionResult> ActAsync(Func<Task<string>> action, Func<Task> reload)
    {
        try
        {
            Notice = await action();
            return Redirect(HereWithoutHandler());
        }
        catch (ApiError e)
        {
            return await RefusedAsync(e, reload);
        }
    }

    /// <summary>This page's address and query, less the form's handler: where a redirect after an action goes.</summary>
    protected string HereWithoutHandler()
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Request.QueryString.Value)
            .Where(q => !q.Key.Equals("handler", StringComparison.OrdinalIgnoreCase))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()));
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Request.Path, query);
    }

    protected async Task<IActionResult> RefusedAsync(ApiError e, Func<Task> reload)
    {
        Refusal = e;
        Response.StatusCode = e.Status;
        try { await reload(); }
        catch (ApiError) { }
        return Page();
    }

    /// <summary>A page that shows a secret is never stored by the browser or anything between.</summary>
    protected void NoStore()
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers.Pragma = "no-cache";
    }

    protected int PageSize => HttpContext.RequestServices.GetRequiredService<ConsoleOptions>().PageSize;
}
