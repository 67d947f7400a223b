using Partnerships.Client;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>The client reads the budget headers on every answer and reports a 429 with its wait, against the real limiter.</summary>
public abstract class ClientRateLimitTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind, new Dictionary<string, string?>(TestServer.PublishedRateLimits));
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_answer_tells_the_budget_and_a_refusal_past_the_callers_patience_surfaces_as_a_429_with_its_wait()
    {
        using var admin = _server.AdminClient();
        Assert.Equal(200, (await admin.PutJsonAsync($"/admin/v1/platforms/{_server.DemoOne.PlatformParentAccountId}/rate-limits/status", new { per_minute = 1 })).Status);
        var (client, handler) = ClientHarness.NewClient(_server, o => o with { MaxRetryAfter = TimeSpan.FromSeconds(5) });
        using var _c = client;
        var account = await client.RegisterAsync(_server);

        var paused = await client.SetStatusAsync(account.AccountId, AccountStatus.Paused);
        Assert.Equal(new RateLimitStatus("status", 1, TimeSpan.FromSeconds(60), 0, paused.RateLimit!.ResetAfter), paused.RateLimit);
        Assert.InRange(paused.RateLimit.ResetAfter, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60));
        var read = await client.GetStatusAsync(account.AccountId);
        Assert.Equal("reads", read.RateLimit!.Policy);
        Assert.Equal(6000, read.RateLimit.Limit);

        var calls = handler.Calls.Count;
        var refused = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.SetStatusAsync(account.AccountId, AccountStatus.Active));
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal("RateLimitExceeded", refused.ErrorCode);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60));
        Assert.Equal(0, refused.RateLimit!.Remaining);
        // Waiting a minute is more than this caller allows (MaxRetryAfter): one attempt, then the answer.
        Assert.Equal(calls + 1, handler.Calls.Count);
    }
}

public sealed class SqliteClientRateLimitTests() : ClientRateLimitTests(StoreKind.Sqlite);
public sealed class PostgresClientRateLimitTests() : ClientRateLimitTests(StoreKind.Postgres);
