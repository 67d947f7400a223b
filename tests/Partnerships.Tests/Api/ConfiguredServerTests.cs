using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Behaviour that depends on a setting or on the clock: each test starts its own server.</summary>
public abstract class ConfiguredServerTests(StoreKind kind)
{
    [Fact]
    public async Task An_idempotency_key_expires_after_its_TTL()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Idempotency:TtlSeconds"] = "3600" }, clock);
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var key = Http.NewKey();
        var path = $"/v1/partnership/accounts/{accountId}/status";
        Assert.Equal(200, (await client.PutJsonAsync(path, new { status = "paused" }, key)).Status);
        Assert.Equal(422, (await client.PutJsonAsync(path, new { status = "active" }, key)).Status);

        clock.Advance(TimeSpan.FromMinutes(61));
        using var fresh = await server.DemoClientAsync(); // the old token expired with the clock too
        var reused = await fresh.PutJsonAsync(path, new { status = "active" }, key);
        Assert.Equal(200, reused.Status);
        Assert.Null(reused.Header("Idempotent-Replayed"));
        Assert.Equal("active", reused.Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Tokens_expire_with_the_service_clock()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(kind, clock: clock);
        using var client = await server.DemoClientAsync();
        Assert.Equal(200, (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(401, (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
    }

    [Fact]
    public async Task An_unhandled_failure_is_a_500_envelope_without_internals()
    {
        await using var server = await TestServer.StartAsync(kind);
        using var client = await server.DemoClientAsync();
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(server.DemoOne.PlatformParentAccountId));
        var accountId = registration.Data.GetProperty("account_id").GetString()!;
        await using (var c = await server.Database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "DROP TABLE layouts"); // the store breaks under the service
        }
        var reply = await client.GetJsonAsync($"/v1/partnership/accounts/{accountId}/layouts/{Guid.NewGuid()}");
        Assert.Equal(500, reply.Status);
        Assert.Equal("InternalServerError", reply.Error);
        Assert.Equal("Internal server error", reply.Json.GetProperty("message").GetString());
        Assert.DoesNotContain("layouts", reply.Body);
        Assert.DoesNotContain("Exception", reply.Body);
        Assert.Equal(reply.Header("X-Request-Id"), reply.Json.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task The_platform_header_can_be_required_on_writes()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Tenancy:RequirePlatformHeaderOnWrites"] = "true" });
        using var client = await server.DemoClientAsync();
        var before = await StoreSnapshot.TakeAsync(server.Database);
        var missing = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(server.DemoOne.PlatformParentAccountId));
        Assert.Equal(422, missing.Status);
        Assert.Equal("ValidationFailed", missing.Error);
        Assert.Contains("X-Platform-Parent-Account-Id", missing.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database));
        Assert.Equal(200, (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status); // reads stay optional
        var sent = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(server.DemoOne.PlatformParentAccountId),
            headers: new Dictionary<string, string> { ["X-Platform-Parent-Account-Id"] = server.DemoOne.PlatformParentAccountId });
        Assert.Equal(201, sent.Status);
    }
}

public sealed class SqliteConfiguredServerTests() : ConfiguredServerTests(StoreKind.Sqlite);
public sealed class PostgresConfiguredServerTests() : ConfiguredServerTests(StoreKind.Postgres);
