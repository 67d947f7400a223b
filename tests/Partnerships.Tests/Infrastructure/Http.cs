using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Partnerships.Tests.Infrastructure;

/// <summary>A response read once: status, headers and the parsed envelope.</summary>
public sealed record Reply(int Status, JsonElement Json, string Body, HttpResponseMessage Response)
{
    public JsonElement Data => Json.GetProperty("data");
    public string? Error => Json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
    public string? Header(string name) => Response.Headers.TryGetValues(name, out var v) ? string.Join(",", v)
        : Response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;
    public IReadOnlyList<string> DetailFields => Json.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Array
        ? d.EnumerateArray().Select(x => x.GetProperty("field").GetString()!).ToList() : [];

    public override string ToString() => $"{Status} {Body}";
}

public static class Http
{
    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, object? body = null,
        string? idempotencyKey = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var json = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        var response = await client.SendAsync(request);
        return await ReadAsync(response);
    }

    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json;
        try { json = JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone(); }
        catch (JsonException) { json = JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement.Clone(); }
        return new Reply((int)response.StatusCode, json, text, response);
    }

    public static Task<Reply> GetJsonAsync(this HttpClient c, string path) => c.SendAsync(HttpMethod.Get, path);
    public static Task<Reply> PostJsonAsync(this HttpClient c, string path, object? body, string? key = null, IDictionary<string, string>? headers = null) =>
        c.SendAsync(HttpMethod.Post, path, body, key, headers);
    public static Task<Reply> PutJsonAsync(this HttpClient c, string path, object? body, string? key = null, IDictionary<string, string>? headers = null) =>
        c.SendAsync(HttpMethod.Put, path, body, key, headers);
    public static Task<Reply> PatchJsonAsync(this HttpClient c, string path, object? body, string? key = null, IDictionary<string, string>? headers = null) =>
        c.SendAsync(HttpMethod.Patch, path, body, key, headers);

    public static string NewKey() => Guid.NewGuid().ToString();

    /// <summary>Network ids never reach a partner: no field of the response is named after the network taxonomy.</summary>
    public static void AssertNoNetworkFields(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    Assert.DoesNotContain("network", p.Name, StringComparison.OrdinalIgnoreCase);
                    Assert.NotEqual("verticals", p.Name);
                    AssertNoNetworkFields(p.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) AssertNoNetworkFields(item);
                break;
        }
    }

    /// <summary>A registration body for the first demo platform; unique external id unless given.</summary>
    public static Dictionary<string, object?> Registration(string platformId, string? externalId = null, object? pages = null) => new()
    {
        ["brand"] = "Acme Outdoor",
        ["vertical_id"] = 1500,
        ["sub_vertical_id"] = 1610,
        ["country_code"] = "US",
        ["platform_parent_account_id"] = platformId,
        ["store_identifier"] = "https://acme-outdoor.example.com",
        ["external_account_id"] = externalId ?? "ext-" + Guid.NewGuid().ToString("N"),
        ["contact_email"] = "owner@acme-outdoor.example.com",
        ["pages"] = pages ?? new object[] { new { surface = "confirmation", layout_type = "Overlay" } },
    };

    public static async Task<string> RegisterAsync(this HttpClient client, string platformId, object? pages = null)
    {
        var reply = await client.PostJsonAsync("/v1/accounts/register/partnership", Registration(platformId, pages: pages));
        if (reply.Status != 201) throw new InvalidOperationException("register: " + reply);
        return reply.Data.GetProperty("account_id").GetString()!;
    }
}
