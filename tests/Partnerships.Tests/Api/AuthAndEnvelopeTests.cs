using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

public abstract class AuthAndEnvelopeTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_token_is_issued_for_form_credentials_and_for_HTTP_Basic()
    {
        using var client = Server.Client();
        var form = await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = Server.DemoOne.ClientId, ["client_secret"] = Server.DemoOne.ClientSecret,
        }));
        var json = JsonDocument.Parse(await form.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, (int)form.StatusCode);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.InRange(json.GetProperty("expires_in").GetInt32(), 240, 360);
        Assert.Equal("no-store", form.Headers.CacheControl?.ToString());

        using var basic = new HttpRequestMessage(HttpMethod.Post, "/api/v1/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Server.DemoOne.ClientId}:{Server.DemoOne.ClientSecret}")));
        var basicReply = await client.SendAsync(basic);
        Assert.Equal(200, (int)basicReply.StatusCode);
    }

    [Theory]
    [InlineData("client_credentials", "wrong-secret", 401, "invalid_client")]
    [InlineData("password", null, 400, "unsupported_grant_type")]
    [InlineData("", null, 400, "invalid_request")]
    public async Task Token_errors_follow_RFC_6749(string grant, string? secret, int status, string error)
    {
        using var client = Server.Client();
        var response = await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant, ["client_id"] = Server.DemoOne.ClientId, ["client_secret"] = secret ?? Server.DemoOne.ClientSecret,
        }));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.True(json.TryGetProperty("error_description", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-jwt")]
    [InlineData("Basic abc")]
    public async Task Missing_or_malformed_tokens_get_401_in_the_envelope(string? authorization)
    {
        using var client = Server.Client();
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        var reply = await client.GetJsonAsync("/v1/partnership/vertical-mappings");
        Assert.Equal(401, reply.Status);
        Assert.Equal("Unauthorized", reply.Error);
        Assert.True(Guid.TryParse(reply.Json.GetProperty("request_id").GetString(), out _));
    }

    [Fact]
    public async Task An_expired_token_gets_401()
    {
        var handler = new JsonWebTokenHandler();
        var past = DateTime.UtcNow.AddMinutes(-20);
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "partnerships", Audience = "partnerships-api", IssuedAt = past, NotBefore = past, Expires = past.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(Server.SigningKey)), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["sub"] = Server.DemoOne.ClientId, ["pid"] = Server.DemoOne.PlatformParentAccountId, ["cid"] = "x", ["gen"] = "1" },
        });
        using var client = Server.Client(token);
        var reply = await client.GetJsonAsync("/v1/partnership/vertical-mappings");
        Assert.Equal(401, reply.Status);
        Assert.Contains("expired", reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_revoked_credential_loses_its_outstanding_tokens_at_once()
    {
        using var admin = Server.AdminClient();
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "revocation-" + Guid.NewGuid().ToString("N") });
        var platformId = platform.Data.GetProperty("platform_parent_account_id").GetString()!;
        var credential = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        Assert.Equal(201, credential.Status);
        var token = await Server.TokenAsync(credential.Data.GetProperty("client_id").GetString()!, credential.Data.GetProperty("client_secret").GetString()!);
        using var partner = Server.Client(token);
        Assert.Equal(200, (await partner.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);

        var revoke = await admin.PostJsonAsync($"/admin/v1/credentials/{credential.Data.GetProperty("credential_id").GetString()}/revoke", null);
        Assert.Equal(200, revoke.Status);
        var refused = await partner.GetJsonAsync("/v1/partnership/vertical-mappings");
        Assert.Equal(401, refused.Status);
        Assert.Equal("The credential behind this token was revoked or rotated", refused.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Every_response_carries_a_UUID_request_id_in_body_and_header()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.GetJsonAsync("/v1/partnership/vertical-mappings");
        Assert.Equal(200, reply.Status);
        var id = reply.Json.GetProperty("request_id").GetString();
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(id, reply.Header("X-Request-Id"));
        Assert.Equal("ok", reply.Json.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, reply.Json.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_envelope()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.GetJsonAsync("/v1/partnership/nothing-here");
        Assert.Equal(404, reply.Status);
        Assert.Equal("NotFound", reply.Error);
        Assert.Equal(reply.Header("X-Request-Id"), reply.Json.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_envelope()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.SendAsync(HttpMethod.Delete, "/v1/partnership/vertical-mappings");
        Assert.Equal(405, reply.Status);
        Assert.Equal("MethodNotAllowed", reply.Error);
    }

    [Fact]
    public async Task A_wrong_media_type_is_a_415_envelope_and_stores_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts/register/partnership")
        {
            Content = new StringContent("brand=x", Encoding.UTF8, "text/plain"),
        };
        var reply = await Http.ReadAsync(await client.SendAsync(request));
        Assert.Equal(415, reply.Status);
        Assert.Equal("UnsupportedMediaType", reply.Error);
        Assert.Contains("Content-Type", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_400_envelope_and_stores_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var reply = await client.PostJsonAsync("/v1/accounts/register/partnership", "{\"brand\": ");
        Assert.Equal(400, reply.Status);
        Assert.Equal("BadRequest", reply.Error);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_envelope()
    {
        using var client = await Server.DemoClientAsync();
        var huge = "{\"brand\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";
        var reply = await client.PostJsonAsync("/v1/accounts/register/partnership", huge);
        Assert.Equal(413, reply.Status);
        Assert.Equal("PayloadTooLarge", reply.Error);
    }

    [Fact]
    public async Task The_platform_header_must_match_the_token()
    {
        using var client = await Server.DemoClientAsync();
        var reply = await client.SendAsync(HttpMethod.Get, "/v1/partnership/vertical-mappings",
            headers: new Dictionary<string, string> { ["X-Platform-Parent-Account-Id"] = Guid.NewGuid().ToString() });
        Assert.Equal(403, reply.Status);
        Assert.Equal("Forbidden", reply.Error);
        Assert.Contains("X-Platform-Parent-Account-Id", reply.DetailFields);

        var matching = await client.SendAsync(HttpMethod.Get, "/v1/partnership/vertical-mappings",
            headers: new Dictionary<string, string> { ["X-Platform-Parent-Account-Id"] = Server.DemoOne.PlatformParentAccountId });
        Assert.Equal(200, matching.Status);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_write_with_its_body_key_and_dry_run()
    {
        using var client = Server.Client();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var writes = new[]
        {
            ("/v1/accounts/register/partnership", "post"), ("/v1/partnership/accounts/{account_id}/marketplacecontrolslists", "put"),
            ("/v1/partnership/accounts/{account_id}/status", "put"), ("/v1/partnership/accounts/{account_id}/pages", "post"),
            ("/v1/partnership/accounts/{account_id}/pages/{page_id}", "put"),
            ("/v1/partnership/accounts/{account_id}/layouts/{layout_id}", "patch"), ("/v1/partnership/accounts/{account_id}/payout-setup", "post"),
        };
        foreach (var (path, method) in writes)
        {
            var operation = doc.GetProperty("paths").GetProperty(path).GetProperty(method);
            Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), path);
            var parameters = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
            Assert.Contains("Idempotency-Key", parameters);
            // Registration and payout setup refuse a rehearsal, so only the other writes offer dry_run.
            if (path.EndsWith("/register/partnership", StringComparison.Ordinal) || path.EndsWith("/payout-setup", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("dry_run", parameters);
            }
            else
            {
                Assert.Contains("dry_run", parameters);
            }
        }
        Assert.Contains("blockedVerticals", doc.GetRawText());
    }

    [Fact]
    public async Task A_partner_token_cannot_use_the_operator_surface()
    {
        using var client = await Server.DemoClientAsync();
        Assert.Equal(403, (await client.GetJsonAsync("/admin/v1/platforms")).Status);
        var mapping = await client.PostJsonAsync($"/v1/partnership/vertical-mappings?platform_parent_account_id={Server.DemoOne.PlatformParentAccountId}",
            new { partnerVerticalId = 1, partnerSubVerticalId = 2, networkSubVerticalId = 1003 });
        Assert.Equal(403, mapping.Status);
        using var anonymous = Server.Client();
        Assert.Equal(401, (await anonymous.GetJsonAsync("/admin/v1/platforms")).Status);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAuthAndEnvelopeTests(SqliteServerFixture f) : AuthAndEnvelopeTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuthAndEnvelopeTests(PostgresServerFixture f) : AuthAndEnvelopeTests(f);
