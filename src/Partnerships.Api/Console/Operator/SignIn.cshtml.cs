using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Partnerships.Api.RateLimiting;
using Partnerships.Api.WebConsole;
using Partnerships.Application;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>Operator sign-in: the admin key is checked as the admin routes check a bearer key; only its id enters the session. Both outcomes are audited.</summary>
public sealed class SignInModel(Database db, TimeProvider clock, AnonymousRateLimiter limiter) : PageModel
{
    [BindProperty(Name = "admin_key")] public string? AdminKey { get; set; }
    [BindProperty(Name = "return_url", SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var presented = AdminKey?.Trim() ?? "";
        AdminKey = null;
        // An address past its budget of refused sign-ins gets no further guess checked, right key or not.
        if (limiter.IsSpent(HttpContext)) return TooMany();
        AdminKeyRow? key = null;
        if (presented.StartsWith(Secrets.AdminKeyPrefix, StringComparison.Ordinal))
        {
            await using var s = await DbSession.ReadAsync(db, HttpContext.RequestAborted);
            key = await AdminKeyStore.FindByHashAsync(s, Secrets.Hash(presented));
        }
        if (key is null || key.RevokedAt is not null)
        {
            Response.StatusCode = 400;
            // Past the address's budget for refused credentials nothing is written: a flood of bad keys must not fill the audit log.
            if (limiter.Check(HttpContext) is not null) return TooMany();
            var actor = new OperatorActor(key is null ? null : "console:" + key.Id, Hosting.RequestIds.Of(HttpContext), Request.Method, Request.Path.Value ?? "");
            await OperatorAudit.RecordRefusalAsync(db, clock, actor, "console.sign_in", null, ApiError.Unauthorized("Admin key is invalid or revoked"));
            Error = presented.Length == 0 ? "Enter an admin key." : "That admin key is not valid: unknown, mistyped or revoked.";
            return Page();
        }
        // Who opened a console session, and when, is part of the operator trail like the actions taken in it; recorded
        // before the cookie is set, so no session exists that the log does not show.
        await OperatorAudit.RecordAsync(db, clock, new OperatorActor("console:" + key.Id, Hosting.RequestIds.Of(HttpContext), Request.Method, Request.Path.Value ?? ""),
            "console.sign_in", "admin_key:" + key.Id, 302);
        await HttpContext.SignInAsync(ConsoleAuth.OperatorScheme, ConsoleAuth.OperatorPrincipal(key),
            new AuthenticationProperties { IssuedUtc = clock.GetUtcNow(), IsPersistent = false });
        return LocalRedirect(ConsoleUrls.SafeReturn(ReturnUrl, "/console/operator"));
    }

    private PageResult TooMany()
    {
        Response.StatusCode = 429;
        Error = ConsoleAuth.TooManySignIns;
        return Page();
    }
}
