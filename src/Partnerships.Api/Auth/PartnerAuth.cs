using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Partnerships.Api.Hosting;
using Partnerships.Core.Errors;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.Auth;

/// <summary>The authenticated partner: its platform and the credential its token was minted from.</summary>
public sealed record Partner(string PlatformId, string CredentialId, string ClientId)
{
    public const string PlatformClaim = "pid";
    public const string CredentialClaim = "cid";
    public const string GenerationClaim = "gen";

    public static Partner From(HttpContext context)
    {
        var user = context.User;
        return new Partner(
            user.FindFirstValue(PlatformClaim) ?? throw ApiError.Unauthorized("Access token has no platform"),
            user.FindFirstValue(CredentialClaim) ?? throw ApiError.Unauthorized("Access token has no credential"),
            user.FindFirstValue(JwtRegisteredClaimNames.Sub) ?? "");
    }
}

/// <summary>The token is well-formed and unexpired, but its credential was revoked or rotated since it was minted.</summary>
public sealed class CredentialWithdrawnException() : Exception("The credential behind this token was revoked or rotated");

public static class PartnerAuth
{
    public static void AddPartnerAuth(this IServiceCollection services, HostSettings settings)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
                RequireExpirationTime = true,
            };
            options.Events = new JwtBearerEvents
            {
                // Keys are resolved by kid from the shared ring; a kid this process has not seen yet makes it re-read the ring first.
                OnMessageReceived = async context =>
                {
                    // Only requests that carry a JWT need the ring (not anonymous ones, not admin keys).
                    if (KidOf(context.Request.Headers.Authorization.ToString()) is not { } kid) return;
                    var ring = context.HttpContext.RequestServices.GetRequiredService<Partnerships.Application.SigningKeyRing>();
                    await ring.EnsureFreshAsync(kid, context.HttpContext.RequestAborted);
                },
                OnTokenValidated = async context =>
                {
                    // A revoked or rotated credential takes its outstanding tokens with it: at once in the process that
                    // changed it, within CredentialCheckMaxAge in every other (this process's copy, decision 22).
                    var principal = context.Principal!;
                    var credentials = context.HttpContext.RequestServices.GetRequiredService<Partnerships.Application.CredentialValidity>();
                    // RequestAborted carries the request time-out; a store that is down surfaces as 503 (EnvelopeErrors.Translate).
                    if (!await credentials.IsValidAsync(principal.FindFirstValue(Partner.CredentialClaim) ?? "",
                        principal.FindFirstValue(Partner.PlatformClaim), principal.FindFirstValue(Partner.GenerationClaim), context.HttpContext.RequestAborted))
                    {
                        context.Fail(new CredentialWithdrawnException());
                    }
                },
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    // A refused credential counts against the caller's address; past its budget the answer is 429, not 401.
                    if (await context.HttpContext.RequestServices.GetRequiredService<RateLimiting.AnonymousRateLimiter>().RefuseAsync(context.HttpContext)) return;
                    var message = context.AuthenticateFailure switch
                    {
                        SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "Access token expired; request a new one",
                        null when string.IsNullOrEmpty(context.Request.Headers.Authorization) => "Authentication required: send Authorization: Bearer <access token>",
                        null => "Authorization header must be 'Bearer <access token>'",
                        CredentialWithdrawnException e => e.Message,
                        _ => "Access token is invalid",
                    };
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await EnvelopeErrors.WriteAsync(context.HttpContext, ApiError.Unauthorized(message));
                },
                OnForbidden = context => EnvelopeErrors.WriteAsync(context.HttpContext, ApiError.Forbidden("Forbidden")),
            };
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<Partnerships.Application.SigningKeyRing>((options, ring) =>
            options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) =>
                ring.Accepted(kid) is { } key ? [new SymmetricSecurityKey(key.Key) { KeyId = key.Kid }] : []);
        // Token lifetimes follow the service clock, so an injected TimeProvider governs expiry too.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TimeProvider>((options, clock) =>
            options.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, p) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now + p.ClockSkew) && expires is not null && expires > now - p.ClockSkew;
            });
        services.AddAuthorization();
    }

    /// <summary>The kid in a bearer token's header, if it parses (validation proper happens later, in the handler).</summary>
    private static string? KidOf(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        // A token without a kid (issued before keys had ids) still needs the ring: "" stands for the seed key.
        try { return new JsonWebToken(authorization[7..].Trim()).Kid ?? ""; }
        catch (ArgumentException) { return null; }
    }

    public static string MintToken(HostSettings settings, Partnerships.Application.SigningKey key, DateTimeOffset now, CredentialRow credential)
    {
        var handler = new JsonWebTokenHandler();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + settings.TokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key.Key) { KeyId = key.Kid }, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = credential.ClientId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString(),
                [Partner.PlatformClaim] = credential.PlatformId,
                [Partner.CredentialClaim] = credential.Id,
                [Partner.GenerationClaim] = credential.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });
    }
}
