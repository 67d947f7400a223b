using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnerships.Client;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// A partner console page: <see cref="Session"/> is the signed-in partner and <see cref="Api"/> the typed client that
/// calls the public API with the session's token. A call the service answers 401 (the token expired, the credential
/// was revoked or rotated) ends the session and sends the user to sign in again.
/// </summary>
public abstract class PartnerPageModel : PageModel
{
    private PartnershipsClient? _api;

    public PartnerSession Session { get; private set; } = null!;

    /// <summary>The client for this request (made on first use, disposed with the request).</summary>
    protected PartnershipsClient Api => _api ??= HttpContext.RequestServices.GetRequiredService<PartnerApiClients>().For(Session);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (await PartnerApiClients.SessionAsync(HttpContext) is not { } session)
        {
            context.Result = SignInAgain();
            return;
        }
        Session = session;
        try
        {
            var executed = await next();
            if (executed.Exception is PartnershipsApiException { StatusCode: 401 } && !executed.ExceptionHandled)
            {
                executed.ExceptionHandled = true;
                await HttpContext.SignOutAsync(ConsoleAuth.PartnerScheme);
                executed.Result = SignInAgain();
            }
        }
        finally
        {
            _api?.Dispose();
        }
    }

    private RedirectResult SignInAgain() =>
        Redirect("/console/partner/sign-in?expired=1&return_url=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
}
