using System.Net.Http.Headers;
using System.Text.Json;

namespace Partnerships.Bench;

/// <summary>A platform's access token from the service's token endpoint, fetched again well before it expires.</summary>
public sealed class TokenSource(Uri service, string clientId, string clientSecret)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(2);
    private string? _token;
    private DateTime _fetched;

    public async Task<AuthenticationHeaderValue> HeaderAsync()
    {
        if (_token is null || DateTime.UtcNow - _fetched > Refresh)
        {
            using var client = new HttpClient { BaseAddress = service };
            using var reply = await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret,
            }));
            var body = await reply.Content.ReadAsStringAsync();
            if (!reply.IsSuccessStatusCode) throw new InvalidOperationException($"token endpoint answered {(int)reply.StatusCode}: {body}");
            _token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString();
            _fetched = DateTime.UtcNow;
        }
        return new AuthenticationHeaderValue("Bearer", _token);
    }

    /// <summary>An HTTP client for setup calls, authenticated as the platform.</summary>
    public async Task<HttpClient> ClientAsync()
    {
        var client = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = await HeaderAsync();
        return client;
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
