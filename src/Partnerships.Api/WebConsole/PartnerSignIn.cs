using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// Exchanges a partner's client credentials for an access token at the service's own token endpoint (over loopback,
/// the same door every partner uses), and keeps only the token, in the partner session cookie.
/// </summary>
public sealed class PartnerSignIn(Loopback loopback, TimeProvider clock)
{
    /// <summary>Why a sign-in did not happen: the sentence beside the form, its status, and whether the credentials were refused (which counts against the browser's address) rather than the service being unable to answer.</summary>
    public sealed record Refusal(string Message, int Status, bool CredentialsRefused);

    /// <summary>Null on success, else why not.</summary>
    public async Task<Refusal?> SignInAsync(HttpContext http, string clientId, string clientSecret)
    {
        using var client = new HttpClient(loopback.Handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret,
        });
        var requestedAt = clock.GetUtcNow();
        using var response = await client.PostAsync(new Uri(loopback.BaseAddress, "api/v1/oauth/token"), form, http.RequestAborted);
        // The token endpoint's budget is the console's loopback address, shared by every console sign-in: not this browser's doing.
        if ((int)response.StatusCode == 429) return new("Too many sign-ins through the console just now; wait a minute and try again.", 429, false);
        if ((int)response.StatusCode >= 500) return new("The service could not check the credentials just now; try again.", 503, false);
        if (!response.IsSuccessStatusCode) return new("Client id or secret not accepted (wrong, or the credential was revoked).", 400, true);
        var answer = await response.Content.ReadFromJsonAsync<Answer>(http.RequestAborted);
        if (answer?.AccessToken is not { Length: > 0 } token) return new("The token endpoint gave no token; try again.", 502, false);
        var jwt = new JsonWebToken(token);
        var platform = jwt.TryGetPayloadValue<string>("pid", out var pid) ? pid : "";
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ConsoleAuth.ClientIdClaim, clientId), new Claim(ConsoleAuth.PlatformClaim, platform), new Claim(ClaimTypes.Name, clientId)],
            ConsoleAuth.PartnerScheme));
        var properties = new AuthenticationProperties
        {
            IssuedUtc = requestedAt,
            // Ends a little before the token does, so no page is rendered with a token that dies mid-request.
            ExpiresUtc = requestedAt + TimeSpan.FromSeconds(Math.Max(1, (answer.ExpiresIn ?? 60) - 5)),
            IsPersistent = false,
            AllowRefresh = false,
        };
        properties.StoreTokens([new AuthenticationToken { Name = ConsoleAuth.AccessTokenItem, Value = token }]);
        await http.SignInAsync(ConsoleAuth.PartnerScheme, principal, properties);
        return null;
    }

    private sealed record Answer([property: JsonPropertyName("access_token")] string? AccessToken, [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
