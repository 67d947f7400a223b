using System.Text;
using Microsoft.Extensions.Primitives;
using Partnerships.Api.Hosting;
using Partnerships.Application;
using Partnerships.Application.Operators;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.Auth;

/// <summary>OAuth 2.0 client credentials grant (RFC 6749 §4.4): form body or HTTP Basic client authentication; errors per §5.2.</summary>
public static class TokenEndpoint
{
    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/v1/oauth/token", IssueAsync).AllowAnonymous().CarriesSecrets().WithTags("OAuth").WithName("IssueToken")
            .WithMetadata(new Features.WriteEndpoint.RequestBodyMetadata(typeof(IFormCollection)));

    private static async Task<IResult> IssueAsync(HttpContext http, Database db, HostSettings settings, TimeProvider clock, SigningKeyRing ring)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        // Every token request counts against the caller's address: checking a secret is deliberately slow work.
        if (http.RequestServices.GetRequiredService<RateLimiting.AnonymousRateLimiter>().Check(http) is { } limited)
        {
            return EnvelopeErrors.Result(http, limited);
        }
        var media = http.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(media, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
        }
        if (http.Request.Headers.Authorization.Count > 1)
        {
            return Error(400, "invalid_request", "Authorization was sent more than once");
        }
        byte[] body;
        try
        {
            body = await RequestBodies.ReadAsync(http, OAuthForm.MaxBodyBytes);
        }
        catch (ApiError e)
        {
            return Error(400, "invalid_request", e.Message);
        }
        var (form, formError) = OAuthForm.Parse(body);
        if (form is null)
        {
            return Error(400, "invalid_request", formError!);
        }
        if (!form.TryGetValue("grant_type", out var grant) || grant.Length == 0)
        {
            return Error(400, "invalid_request", "grant_type is required");
        }
        if (grant != "client_credentials")
        {
            return Error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported");
        }

        var usedBasic = TryBasic(http.Request.Headers.Authorization, out var basicId, out var basicSecret);
        var formId = form.GetValueOrDefault("client_id");
        var formSecret = form.GetValueOrDefault("client_secret");
        if (usedBasic && (formSecret is not null))
        {
            return Error(400, "invalid_request", "Use one client authentication method: HTTP Basic or the form body, not both");
        }
        var clientId = usedBasic ? basicId : formId;
        var clientSecret = usedBasic ? basicSecret : formSecret;
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
        {
            return Error(401, "invalid_client", "Client authentication failed: client_id and client_secret are required", usedBasic);
        }

        await using var s = await DbSession.ReadAsync(db);
        var credential = await CredentialStore.FindByClientIdAsync(s, clientId);
        // Hash the presented secret even for an unknown client so timing says nothing about which client ids exist.
        var now = clock.GetUtcNow();
        // The previous secret counts too while a rotation's overlap lasts.
        var valid = CredentialRotation.Accepts(credential ?? new CredentialRow { SecretHash = new string('0', 64) }, clientSecret, now);
        if (credential is null || !valid || credential.RevokedAt is not null)
        {
            return Error(401, "invalid_client", "Client authentication failed", usedBasic);
        }
        await ring.EnsureFreshAsync(null, http.RequestAborted);
        var token = PartnerAuth.MintToken(settings, ring.Current, now, credential);
        return TypedResults.Json(new TokenResponse(token, "Bearer", (int)settings.TokenLifetime.TotalSeconds));
    }

    private static bool TryBasic(StringValues header, out string? id, out string? secret)
    {
        id = secret = null;
        var value = header.ToString();
        if (!value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value[6..].Trim()));
            var colon = decoded.IndexOf(':');
            if (colon < 0) return true;
            // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
            id = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
        }
        catch (FormatException) { }
        return true;
    }

    private static IResult Error(int status, string error, string description, bool basic = false) =>
        new OAuthError(status, error, description, basic);

    private sealed class OAuthError(int status, string error, string description, bool basic) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            if (status == 401) context.Response.Headers.WWWAuthenticate = basic ? "Basic realm=\"partnerships\"" : "Bearer";
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });
        }
    }
}
