using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnerships.Api.RateLimiting;

namespace Partnerships.Api.WebConsole.Pages.Partner;

/// <summary>
/// Partner sign-in: the client credentials go to the token endpoint from the server; the page never renders the secret
/// back (not even after a refusal), and the session keeps only the token.
/// </summary>
public sealed class SignInModel(PartnerSignIn signIn, AnonymousRateLimiter limiter) : PageModel
{
    [BindProperty(Name = "client_id")] public string? ClientId { get; set; }
    [BindProperty(Name = "client_secret")] public string? ClientSecret { get; set; }
    [BindProperty(Name = "return_url", SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(Name = "expired", SupportsGet = true)] public bool Expired { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var clientId = ClientId?.Trim() ?? "";
        var secret = ClientSecret ?? "";
        ClientSecret = null;
        // An address past its budget of refused sign-ins gets no further guess sent to the token endpoint.
        if (limiter.IsSpent(HttpContext)) return TooMany();
        var refusal = clientId.Length == 0 || secret.Length == 0
            ? new PartnerSignIn.Refusal("Enter both the client id and the client secret.", 400, true)
            : await signIn.SignInAsync(HttpContext, clientId, secret);
        if (refusal is null) return LocalRedirect(ConsoleUrls.SafeReturn(ReturnUrl, "/console/partner"));
        // A refusal of the credentials counts against the browser's address too: the token endpoint sees only the console's loopback calls.
        if (refusal.CredentialsRefused && limiter.Check(HttpContext) is not null) return TooMany();
        Error = refusal.Message;
        Response.StatusCode = refusal.Status;
        return Page();
    }

    private PageResult TooMany()
    {
        Response.StatusCode = 429;
        Error = ConsoleAuth.TooManySignIns;
        return Page();
    }
}
