using System.IO.Compression;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>A response sent with an Accept-Encoding the client names, read as it came over the wire.</summary>
internal sealed record WireReply(int Status, string? ContentEncoding, long? ContentLength, byte[] Bytes, HttpResponseMessage Response)
{
    public IEnumerable<string> Vary => Response.Headers.Vary;
    public string? ETag => Response.Headers.ETag?.ToString();

    public string Text()
    {
        using var raw = new MemoryStream(Bytes);
        using Stream decoded = ContentEncoding switch
        {
            null => raw,
            "gzip" => new GZipStream(raw, CompressionMode.Decompress),
            "br" => new BrotliStream(raw, CompressionMode.Decompress),
            _ => throw new InvalidOperationException(ContentEncoding),
        };
        using var reader = new StreamReader(decoded);
        return reader.ReadToEnd();
    }

    public JsonElement Json => JsonDocument.Parse(Text()).RootElement.Clone();

    public static async Task<WireReply> SendAsync(HttpClient client, HttpMethod method, string path, string? acceptEncoding, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new WireReply((int)response.StatusCode, response.Content.Headers.ContentEncoding.LastOrDefault(), response.Content.Headers.ContentLength, bytes, response);
    }
}

/// <summary>JSON answers are compressed for clients that accept it; small ones go as they are; either way caches are told they vary.</summary>
public abstract class ResponseCompressionTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_wide_controls_GET_is_compressed_when_accepted_with_its_compressed_length_the_same_ETag_and_the_same_JSON()
    {
        using var client = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var accountId = await IdempotencyTests.RegisterMccAsync(client, Server.DemoMcc.PlatformParentAccountId);
        var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

        var plain = await WireReply.SendAsync(client, HttpMethod.Get, path, null);
        var gzip = await WireReply.SendAsync(client, HttpMethod.Get, path, "gzip");
        var brotli = await WireReply.SendAsync(client, HttpMethod.Get, path, "gzip, br");
        var head = await WireReply.SendAsync(client, HttpMethod.Head, path, "gzip");

        Assert.Null(plain.ContentEncoding);
        Assert.Equal("gzip", gzip.ContentEncoding);
        Assert.Equal("br", brotli.ContentEncoding);
        Assert.True(gzip.Bytes.Length * 5 < plain.Bytes.Length, $"{gzip.Bytes.Length} compressed of {plain.Bytes.Length}");
        Assert.Equal(gzip.Bytes.Length, gzip.ContentLength);
        // Each answer carries its own request_id, so two compressed answers may differ by a few bytes.
        Assert.Equal("gzip", head.ContentEncoding);
        Assert.Empty(head.Bytes);
        Assert.InRange(head.ContentLength!.Value, gzip.Bytes.Length - 16, gzip.Bytes.Length + 16);
        Assert.Contains("Accept-Encoding", gzip.Vary);
        Assert.Equal(plain.ETag, gzip.ETag);
        foreach (var compressed in new[] { gzip, brotli })
        {
            Assert.Equal(plain.Json.GetProperty("data").GetRawText(), compressed.Json.GetProperty("data").GetRawText());
        }
    }

    [Fact]
    public async Task A_small_answer_goes_uncompressed_but_still_says_it_varies_by_Accept_Encoding()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);

        var status = await WireReply.SendAsync(client, HttpMethod.Get, $"/v1/partnership/accounts/{accountId}/status", "gzip");

        Assert.Equal(200, status.Status);
        Assert.Null(status.ContentEncoding);
        Assert.Contains("Accept-Encoding", status.Vary);
        Assert.Equal("active", status.Json.GetProperty("data").GetProperty("status").GetString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteResponseCompressionTests(SqliteServerFixture f) : ResponseCompressionTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresResponseCompressionTests(PostgresServerFixture f) : ResponseCompressionTests(f);

/// <summary>
/// Answers that carry a secret are never compressed (BREACH), on a server that compresses every other JSON answer
/// whatever its size, so nothing but the secret rule keeps them plain.
/// </summary>
public abstract class SecretResponseCompressionTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Http:Compression:MinimumBytes"] = "0", ["Outbox:Dispatcher"] = "false" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Tokens_client_secrets_admin_keys_webhook_secrets_and_signing_keys_stay_uncompressed_while_other_answers_are_compressed()
    {
        using var anonymous = _server.Client();
        using var admin = _server.AdminClient();
        var platform = _server.DemoOne.PlatformParentAccountId;
        var token = await WireReply.SendAsync(anonymous, HttpMethod.Post, "/api/v1/oauth/token", "gzip, br", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = _server.DemoOne.ClientId, ["client_secret"] = _server.DemoOne.ClientSecret,
        }));
        var issued = await WireReply.SendAsync(admin, HttpMethod.Post, $"/admin/v1/platforms/{platform}/credentials", "gzip, br");
        var credentialId = issued.Json.GetProperty("data").GetProperty("credential_id").GetString();
        var rotated = await WireReply.SendAsync(admin, HttpMethod.Post, $"/admin/v1/credentials/{credentialId}/rotate", "gzip, br");
        var adminKey = await WireReply.SendAsync(admin, HttpMethod.Post, "/admin/v1/admin-keys", "gzip, br");
        var webhook = await WireReply.SendAsync(admin, HttpMethod.Put, $"/admin/v1/platforms/{platform}/webhook", "gzip, br",
            new StringContent("""{"url":"https://hooks.example.com/partnerships"}""", System.Text.Encoding.UTF8, "application/json"));
        var webhookSecret = await WireReply.SendAsync(admin, HttpMethod.Post, $"/admin/v1/platforms/{platform}/webhook/rotate-secret", "gzip, br");
        var signingKeys = await WireReply.SendAsync(admin, HttpMethod.Get, "/admin/v1/signing-keys", "gzip, br");
        var platforms = await WireReply.SendAsync(admin, HttpMethod.Get, "/admin/v1/platforms", "gzip, br");

        Assert.NotNull(token.Json.GetProperty("access_token").GetString());
        Assert.StartsWith("padm_", adminKey.Json.GetProperty("data").GetProperty("admin_key").GetString());
        foreach (var secret in new[] { token, issued, rotated, adminKey, webhook, webhookSecret, signingKeys })
        {
            Assert.True(secret.Status is 200 or 201, $"{secret.Response.RequestMessage!.RequestUri}: {secret.Status} {secret.Text()}");
            Assert.Null(secret.ContentEncoding);
            Assert.Equal(secret.Bytes.Length, secret.ContentLength);
        }
        Assert.Equal("br", platforms.ContentEncoding);
    }
}

public sealed class SqliteSecretResponseCompressionTests() : SecretResponseCompressionTests(StoreKind.Sqlite);
public sealed class PostgresSecretResponseCompressionTests() : SecretResponseCompressionTests(StoreKind.Postgres);
