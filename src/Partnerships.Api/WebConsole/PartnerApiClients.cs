using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Partnerships.Client;

namespace Partnerships.Api.WebConsole;

/// <summary>A partner console session: who signed in and the access token it holds until <see cref="ExpiresAt"/>.</summary>
public sealed record PartnerSession(string ClientId, string PlatformId, string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// The partner pages' way to the API: the project's own <see cref="PartnershipsClient"/> over loopback, carrying the
/// session's access token. The client asks for a token as it always does; that request is answered here, in-process,
/// with the session's token, so the client secret is needed (and held) nowhere after sign-in. A token the service
/// refuses (expired, credential revoked) surfaces as a 401 <see cref="PartnershipsApiException"/>, which the partner pages
/// answer by asking the user to sign in again.
/// </summary>
public sealed class PartnerApiClients(Loopback loopback)
{
    /// <summary>The signed-in partner of this request, or null.</summary>
    public static async Task<PartnerSession?> SessionAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(ConsoleAuth.PartnerScheme);
        if (!result.Succeeded || result.Properties?.GetTokenValue(ConsoleAuth.AccessTokenItem) is not { } token) return null;
        return new PartnerSession(result.Principal.FindFirstValue(ConsoleAuth.ClientIdClaim) ?? "",
            result.Principal.FindFirstValue(ConsoleAuth.PlatformClaim) ?? "", token, result.Properties.ExpiresUtc ?? DateTimeOffset.MinValue);
    }

    /// <summary>A client for one request's work; dispose it with the request (the connection pool is shared and stays).</summary>
    public PartnershipsClient For(PartnerSession session)
    {
        var http = new HttpClient(new SessionTokenHandler(session) { InnerHandler = loopback.Handler }, disposeHandler: false)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        return new PartnershipsClient(http, new PartnershipsClientOptions
        {
            BaseAddress = loopback.BaseAddress,
            ClientId = session.ClientId,
            // Never sent: the token request is answered by SessionTokenHandler.
            ClientSecret = "-",
            PlatformParentAccountId = session.PlatformId,
            // A person is waiting: a busy service answers them at once instead of after minutes of backoff.
            MaxAttempts = 2,
            MaxRetryAfter = TimeSpan.FromSeconds(2),
            TokenRefreshMargin = TimeSpan.Zero,
        });
    }

    /// <summary>Answers the client's token request with the session's token; every other request goes to the service.</summary>
    private sealed class SessionTokenHandler(PartnerSession session) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath == "/api/v1/oauth/token")
            {
                var seconds = Math.Max(1, (int)(session.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds);
                var body = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["access_token"] = session.AccessToken, ["token_type"] = "Bearer", ["expires_in"] = seconds,
                });
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    RequestMessage = request,
                    Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                });
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
