using System.Text.Json.Nodes;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// For every write route in the app's own endpoint table: the dry-run answers exactly what the real call then answers
/// (status, body, would-be hash; request_id and the operation/dry-run headers aside), and leaves the state, the
/// operations and the idempotency-free tables byte-identical, adding exactly one audit entry tagged dry-run.
/// </summary>
public abstract class DryRunFidelityTests(StoreKind kind) : IAsyncLifetime
{
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private TestServer _server = null!;

    // No dispatcher: the outbox must change only by writes, so a dry-run's effect on it (none) is visible. No data deletion
    // worker either: the real deletion request would otherwise change the store in the background, under a later route's snapshots.
    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false", ["DataDeletion:Worker"] = "false" }, _clock);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// Every write route of the endpoint table, with its body record's example (the one the OpenAPI document shows) and its
    /// path filled from a fresh registration: a new write is covered by declaring its route, with nothing to add here.
    /// </summary>
    [Fact]
    public async Task Every_write_route_dry_runs_its_example_exactly_as_the_real_call_then_answers()
    {
        var routes = WriteRoutes.Of(_server, _server.DemoOne.PlatformParentAccountId);
        Assert.True(routes.Count >= 6, "expected the six partner writes, found " + routes.Count);

        using var client = await _server.DemoClientAsync();
        foreach (var write in routes)
        {
            var (route, method, body) = (write.Pattern, write.Method, write.Example.ToJsonString());
            var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
            var path = write.PathFor(registration.Data);

            var before = await SnapshotAsync();
            var dryRunAudits = await StoreSnapshot.CountAsync(_server.Database, "audit_log", "dry_run = 1");
            var dry = await client.SendAsync(new HttpMethod(method), path + "?dry_run=true", body, Http.NewKey());
            Assert.Equal(before, await SnapshotAsync());

            if (!write.Route.SupportsDryRun)
            {
                Assert.Equal(400, dry.Status);
                Assert.Contains("dry_run", dry.DetailFields);
                continue;
            }
            Assert.Equal(dryRunAudits + 1, await StoreSnapshot.CountAsync(_server.Database, "audit_log", "dry_run = 1"));
            Assert.Equal("true", dry.Header("Dry-Run"));
            Assert.Null(dry.Header("X-Operation-Id"));

            var real = await client.SendAsync(new HttpMethod(method), path, body, Http.NewKey());
            Assert.True(real.Status is >= 200 and < 300, route + ": " + real);
            Assert.NotNull(real.Header("X-Operation-Id"));
            Assert.Null(real.Header("Dry-Run"));
            Assert.Equal(real.Status, dry.Status);
            Assert.Equal(real.Header("ETag"), dry.Header("ETag"));
            Assert.Equal(WithoutRequestId(real.Body), WithoutRequestId(dry.Body));
            Assert.NotEqual(before, await SnapshotAsync());
        }
    }

    /// <summary>Every table of the schema but the two a dry-run legitimately writes (its audit entry, and its idempotency record when keyed).</summary>
    private Task<string> SnapshotAsync() => StoreSnapshot.TakeAllExceptAsync(_server.Database, "audit_log", "idempotency_keys");

    private static string WithoutRequestId(string body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node.Remove("request_id");
        return node.ToJsonString();
    }
}

public sealed class SqliteDryRunFidelityTests() : DryRunFidelityTests(StoreKind.Sqlite);
public sealed class PostgresDryRunFidelityTests() : DryRunFidelityTests(StoreKind.Postgres);
