using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Token-signing key rotation across two server processes' worth of key rings on one store (two servers, one clock):
/// tokens carry a kid, the previous key verifies for one token lifetime after a rotation, an unknown kid is refused.
/// </summary>
public abstract class SigningKeyRotationTests(StoreKind kind) : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5); // Auth:TokenLifetimeSeconds default
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);
    private TestServer _a = null!;
    private TestServer _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestServer.StartAsync(kind, clock: _clock);
        _b = await TestServer.StartAsync(kind, clock: _clock, connectionString: _a.ConnectionString, signingKey: _a.SigningKey, secretKey: _a.SecretKey);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    private static string KidOf(string token) => new JsonWebToken(token).Kid;

    private static async Task<int> UseAsync(TestServer server, string token)
    {
        using var client = server.Client(token);
        return (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status;
    }

    /// <summary>A token for a real credential, signed by the test with a key it knows (the seed key, Auth:SigningKey), living an hour.</summary>
    private async Task<string> CraftAsync(string kid)
    {
        using var admin = _a.AdminClient();
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "kid-" + Guid.NewGuid().ToString("N") });
        var platformId = platform.Data.GetProperty("platform_parent_account_id").GetString()!;
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        var now = _clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "partnerships", Audience = "partnerships-api", IssuedAt = now, NotBefore = now, Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(_a.SigningKey)) { KeyId = kid }, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = issued.Data.GetProperty("client_id").GetString()!, ["pid"] = platformId,
                ["cid"] = issued.Data.GetProperty("credential_id").GetString()!, ["gen"] = "1",
            },
        });
    }

    [Fact]
    public async Task A_token_minted_before_a_rotation_works_in_the_other_process_after_it_until_one_token_lifetime_has_passed()
    {
        var fromA = await _a.TokenAsync(_a.DemoOne.ClientId, _a.DemoOne.ClientSecret);
        var fromB = await _b.TokenAsync(_b.DemoOne.ClientId, _b.DemoOne.ClientSecret);
        var seedKid = KidOf(fromA);
        Assert.StartsWith("sk_", seedKid);
        Assert.Equal(seedKid, KidOf(fromB)); // one ring in the store, whoever seeded it
        var longLived = await CraftAsync(seedKid);
        Assert.Equal(200, await UseAsync(_b, longLived));

        using var admin = _a.AdminClient();
        var rotated = await admin.PostJsonAsync("/admin/v1/signing-keys/rotate", null);
        Assert.Equal(200, rotated.Status);
        var newKid = rotated.Data.GetProperty("kid").GetString()!;
        Assert.NotEqual(seedKid, newKid);
        Assert.Equal("current", rotated.Data.GetProperty("status").GetString());

        // Both processes still accept the tokens minted before the rotation.
        Assert.Equal(200, await UseAsync(_b, fromA));
        Assert.Equal(200, await UseAsync(_a, fromB));
        // A's new tokens name the new key; B has not seen it yet, re-reads the ring and accepts them.
        var afterRotation = await _a.TokenAsync(_a.DemoOne.ClientId, _a.DemoOne.ClientSecret);
        Assert.Equal(newKid, KidOf(afterRotation));
        Assert.Equal(200, await UseAsync(_b, afterRotation));

        var keys = await admin.GetJsonAsync("/admin/v1/signing-keys");
        Assert.Equal(["current", "retired"], keys.Data.EnumerateArray().Select(k => k.GetProperty("status").GetString()!).Order().ToArray());
        Assert.DoesNotContain("key", keys.Body.Replace("\"kid\"", ""), StringComparison.OrdinalIgnoreCase);

        // Just inside one token lifetime (plus the 30 s skew) after the rotation the old key still verifies in both.
        _clock.Advance(Lifetime + TimeSpan.FromSeconds(25));
        Assert.Equal(200, await UseAsync(_b, longLived));
        Assert.Equal(200, await UseAsync(_a, longLived));
        // Past it, a token signed with the old key is refused although it has not expired; the new key goes on.
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(401, await UseAsync(_b, longLived));
        Assert.Equal(401, await UseAsync(_a, longLived));
        var fresh = await _b.TokenAsync(_b.DemoOne.ClientId, _b.DemoOne.ClientSecret);
        Assert.Equal(newKid, KidOf(fresh));
        Assert.Equal(200, await UseAsync(_a, fresh));
    }

    [Fact]
    public async Task A_token_with_an_unknown_kid_is_401_in_every_process()
    {
        var forged = await CraftAsync("sk_0123456789abcdef");
        foreach (var server in new[] { _a, _b })
        {
            using var client = server.Client(forged);
            var reply = await client.GetJsonAsync("/v1/partnership/vertical-mappings");
            Assert.Equal(401, reply.Status);
            Assert.Equal("Unauthorized", reply.Error);
        }
    }

    [Fact]
    public async Task Rotating_without_an_admin_key_is_refused_and_changes_nothing()
    {
        var before = await StoreSnapshot.TakeAsync(_a.Database, "signing_keys");
        using var anonymous = _a.Client();
        Assert.Equal(401, (await anonymous.PostJsonAsync("/admin/v1/signing-keys/rotate", null)).Status);
        using var partner = await _a.DemoClientAsync();
        Assert.Equal(403, (await partner.PostJsonAsync("/admin/v1/signing-keys/rotate", null)).Status);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_a.Database, "signing_keys"));
    }
}

public sealed class SqliteSigningKeyRotationTests() : SigningKeyRotationTests(StoreKind.Sqlite);
public sealed class PostgresSigningKeyRotationTests() : SigningKeyRotationTests(StoreKind.Postgres);
