using System.Net.Http.Json;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Client-secret rotation with an overlap: both secrets work during the grace, revocation cuts everything at once.</summary>
public abstract class CredentialRotationTests(StoreKind kind)
{
    private readonly TestClock _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private sealed record Credential(string Id, string ClientId, string Secret);

    private static async Task<Credential> IssueAsync(TestServer server)
    {
        using var admin = server.AdminClient();
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "rotation-" + Guid.NewGuid().ToString("N") });
        var platformId = platform.Data.GetProperty("platform_parent_account_id").GetString()!;
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        Assert.Equal(201, issued.Status);
        return new Credential(issued.Data.GetProperty("credential_id").GetString()!, issued.Data.GetProperty("client_id").GetString()!,
            issued.Data.GetProperty("client_secret").GetString()!);
    }

    private static async Task<(int Status, string? Token)> TokenAsync(TestServer server, string clientId, string secret)
    {
        using var client = server.Client();
        var response = await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? json.GetProperty("access_token").GetString() : null);
    }

    private static async Task<int> UseAsync(TestServer server, string token)
    {
        using var client = server.Client(token);
        return (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status;
    }

    private static async Task<Reply> RotateAsync(TestServer server, string credentialId, string query = "")
    {
        using var admin = server.AdminClient();
        return await admin.PostJsonAsync($"/admin/v1/credentials/{credentialId}/rotate{query}", null);
    }

    [Fact]
    public async Task During_the_default_grace_both_secrets_get_tokens_and_older_tokens_keep_working_then_the_old_secret_fails()
    {
        await using var server = await TestServer.StartAsync(kind, clock: _clock);
        var credential = await IssueAsync(server);
        var (_, before) = await TokenAsync(server, credential.ClientId, credential.Secret);

        var rotated = await RotateAsync(server, credential.Id);
        Assert.Equal(200, rotated.Status);
        var secret = rotated.Data.GetProperty("client_secret").GetString()!;
        Assert.NotEqual(credential.Secret, secret);
        Assert.Equal(_clock.GetUtcNow().AddHours(24).UtcDateTime,
            DateTimeOffset.Parse(rotated.Data.GetProperty("previous_secret_expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime);

        Assert.Equal(200, await UseAsync(server, before!)); // minted before the rotation
        var (oldStatus, oldToken) = await TokenAsync(server, credential.ClientId, credential.Secret);
        var (newStatus, newToken) = await TokenAsync(server, credential.ClientId, secret);
        Assert.Equal((200, 200), (oldStatus, newStatus));
        Assert.Equal(200, await UseAsync(server, oldToken!));
        Assert.Equal(200, await UseAsync(server, newToken!));

        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(401, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
        var (afterStatus, afterToken) = await TokenAsync(server, credential.ClientId, secret);
        Assert.Equal(200, afterStatus);
        Assert.Equal(200, await UseAsync(server, afterToken!));
    }

    [Fact]
    public async Task A_grace_of_zero_cuts_the_old_secret_and_its_tokens_at_once()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Auth:SecretRotationGraceSeconds"] = "0" }, _clock);
        var credential = await IssueAsync(server);
        var (_, before) = await TokenAsync(server, credential.ClientId, credential.Secret);

        var rotated = await RotateAsync(server, credential.Id);
        Assert.Equal(200, rotated.Status);
        Assert.Equal(JsonValueKind.Null, rotated.Data.GetProperty("previous_secret_expires_at").ValueKind);
        Assert.Equal(401, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
        Assert.Equal(401, await UseAsync(server, before!));
        var (status, token) = await TokenAsync(server, credential.ClientId, rotated.Data.GetProperty("client_secret").GetString()!);
        Assert.Equal(200, status);
        Assert.Equal(200, await UseAsync(server, token!));
    }

    [Fact]
    public async Task A_rotation_can_set_its_own_grace_in_seconds()
    {
        await using var server = await TestServer.StartAsync(kind, clock: _clock);
        var credential = await IssueAsync(server);
        var rotated = await RotateAsync(server, credential.Id, "?grace_seconds=60");
        Assert.Equal(200, rotated.Status);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(200, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(401, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
    }

    [Fact]
    public async Task Revoking_during_the_grace_cuts_both_secrets_and_every_token_at_once()
    {
        await using var server = await TestServer.StartAsync(kind, clock: _clock);
        var credential = await IssueAsync(server);
        var (_, before) = await TokenAsync(server, credential.ClientId, credential.Secret);
        var secret = (await RotateAsync(server, credential.Id)).Data.GetProperty("client_secret").GetString()!;
        var (_, after) = await TokenAsync(server, credential.ClientId, secret);

        using var admin = server.AdminClient();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/credentials/{credential.Id}/revoke", null)).Status);
        Assert.Equal(401, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
        Assert.Equal(401, (await TokenAsync(server, credential.ClientId, secret)).Status);
        Assert.Equal(401, await UseAsync(server, before!));
        Assert.Equal(401, await UseAsync(server, after!));
    }

    [Theory]
    [InlineData("?grace_seconds=-1")]
    [InlineData("?grace_seconds=abc")]
    [InlineData("?grace_seconds=2592001")]
    public async Task A_bad_grace_is_a_400_naming_it_and_changes_nothing(string query)
    {
        await using var server = await TestServer.StartAsync(kind, clock: _clock);
        var credential = await IssueAsync(server);
        var before = await StoreSnapshot.TakeAsync(server.Database, "client_credentials");
        var reply = await RotateAsync(server, credential.Id, query);
        Assert.Equal(400, reply.Status);
        Assert.Contains("grace_seconds", reply.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, "client_credentials"));
        Assert.Equal(200, (await TokenAsync(server, credential.ClientId, credential.Secret)).Status);
    }
}

public sealed class SqliteCredentialRotationTests() : CredentialRotationTests(StoreKind.Sqlite);
public sealed class PostgresCredentialRotationTests() : CredentialRotationTests(StoreKind.Postgres);
