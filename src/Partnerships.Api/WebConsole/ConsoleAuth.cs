using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Partnerships.Application.Operators;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// The console's two sessions, each a cookie sealed by Data Protection, scoped to /console, HttpOnly, SameSite=Strict
/// and Secure under https. An operator session holds the admin key's id (never the key) and is checked against the
/// store on every request, so revoking or rotating the key ends it. A partner session holds the access token the sign-in
/// exchanged the client credentials for (never the secret) and ends when that token expires.
/// </summary>
public static class ConsoleAuth
{
    public const string OperatorScheme = "console-operator";
    public const string PartnerScheme = "console-partner";
    public const string OperatorCookie = "partnerships_console_operator";
    public const string PartnerCookie = "partnerships_console_partner";
    public const string AntiforgeryCookie = "partnerships_console_af";
    public const string CookiePath = "/console";

    public const string KeyIdClaim = "admin_key_id";
    /// <summary>What either sign-in form says (with a 429) once the browser's address is past its budget of refused sign-ins.</summary>
    public const string TooManySignIns = "Too many refused sign-ins from this address. Wait a minute, then try again.";
    /// <summary>A digest of the key's stored hash when signing in: a rotated key (same id, new secret) no longer matches.</summary>
    public const string KeyStampClaim = "admin_key_stamp";
    public const string ClientIdClaim = "client_id";
    public const string PlatformClaim = "platform_parent_account_id";
    public const string AccessTokenItem = "access_token";

    public static AuthenticationBuilder AddConsoleCookies(this AuthenticationBuilder auth, ConsoleOptions options) => auth
        .AddCookie(OperatorScheme, o =>
        {
            Cookie(o, OperatorCookie);
            o.LoginPath = "/console/operator/sign-in";
            o.ExpireTimeSpan = options.OperatorIdleTimeout;
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateOperatorAsync;
        })
        .AddCookie(PartnerScheme, o =>
        {
            Cookie(o, PartnerCookie);
            o.LoginPath = "/console/partner/sign-in";
            // The ticket expires with its access token (set at sign-in); nothing slides it past that.
            o.SlidingExpiration = false;
        });

    private static void Cookie(CookieAuthenticationOptions o, string name)
    {
        o.Cookie.Name = name;
        o.Cookie.Path = CookiePath;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ReturnUrlParameter = "return_url";
        // A session cookie: it ends with the browser as well as with the ticket.
        o.Cookie.MaxAge = null;
        o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; };
    }

    public static string KeyStamp(string keyHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("console-session:" + keyHash))[..12]);

    public static ClaimsPrincipal OperatorPrincipal(AdminKeyRow key) => new(new ClaimsIdentity(
    [
        new Claim(KeyIdClaim, key.Id), new Claim(KeyStampClaim, KeyStamp(key.KeyHash)), new Claim(ClaimTypes.Name, key.Label ?? key.Id),
    ], OperatorScheme));

    private static async Task ValidateOperatorAsync(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<ConsoleOptions>();
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var keyId = context.Principal?.FindFirstValue(KeyIdClaim);
        var stamp = context.Principal?.FindFirstValue(KeyStampClaim);
        var signedIn = context.Properties.IssuedUtc;
        var valid = keyId is not null && stamp is not null && signedIn is not null
            && clock.GetUtcNow() - signedIn.Value < options.OperatorMaxLifetime;
        if (valid)
        {
            AdminKeyRow? key;
            await using (var s = await DbSession.ReadAsync(context.HttpContext.RequestServices.GetRequiredService<Database>(), context.HttpContext.RequestAborted))
            {
                key = await AdminKeyStore.GetAsync(s, keyId!);
            }
            valid = key is not null && key.RevokedAt is null && KeyStamp(key.KeyHash) == stamp;
        }
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(OperatorScheme);
        }
    }

    /// <summary>The operator behind a console request, named as the admin routes name theirs: the key's id, said to come through the console.</summary>
    public static OperatorActor Actor(HttpContext http) => new(
        "console:" + (http.User.FindFirstValue(KeyIdClaim) ?? throw new InvalidOperationException("Not an operator console request")),
        Partnerships.Api.Hosting.RequestIds.Of(http), http.Request.Method, http.Request.Path.Value ?? "");
}
