using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Api.Features;
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

    // No dispatcher: the outbox must change only by writes, so a dry-run's effect on it (none) is visible.
    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" }, _clock);
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed record Case(string Method, Func<string, string, string> Path, object Body, bool Rejected = false);

    /// <summary>Keyed by route pattern; a new write route without a case here fails the test.</summary>
    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["/v1/partnership/accounts/{account_id}/marketplacecontrolslists"] = new("PUT", (a, _) => $"/v1/partnership/accounts/{a}/marketplacecontrolslists", new
        {
            name = "Acme", blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = 1610, policy = "Block" } },
            domains = new[] { new { domain = "competitor.example.com", policy = "Block" } },
        }),
        ["/v1/partnership/accounts/{account_id}/status"] = new("PUT", (a, _) => $"/v1/partnership/accounts/{a}/status", new { status = "paused" }),
        ["/v1/partnership/accounts/{account_id}/pages"] = new("POST", (a, _) => $"/v1/partnership/accounts/{a}/pages",
            new { pages = new[] { new { surface = "returns", layout_type = "Embedded" } } }),
        ["/v1/partnership/accounts/{account_id}/layouts/{layout_id}"] = new("PATCH", (a, l) => $"/v1/partnership/accounts/{a}/layouts/{l}",
            new { primaryColor = "#FF0000", borderRadius = 12 }),
        ["/v1/accounts/register/partnership"] = new("POST", (_, _) => "/v1/accounts/register/partnership", new { }, Rejected: true),
        ["/v1/partnership/accounts/{account_id}/payout-setup"] = new("POST", (a, _) => $"/v1/partnership/accounts/{a}/payout-setup", new { }, Rejected: true),
    };

    [Fact]
    public async Task Every_write_route_has_a_dry_run_case_and_the_dry_run_equals_the_real_call()
    {
        var routes = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<WriteEndpoint.WriteRouteMetadata>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToList();
        Assert.NotEmpty(routes);
        var missing = routes.Where(r => !Cases.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "write routes without a dry-run case: " + string.Join(", ", missing));

        using var client = await _server.DemoClientAsync();
        foreach (var route in routes)
        {
            var c = Cases[route];
            var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
            var accountId = registration.Data.GetProperty("account_id").GetString()!;
            var layoutId = registration.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!;
            var path = c.Path(accountId, layoutId);
            var body = c.Rejected ? Http.Registration(_server.DemoOne.PlatformParentAccountId) : c.Body;

            var before = await SnapshotAsync();
            var dryRunAudits = await StoreSnapshot.CountAsync(_server.Database, "audit_log", "dry_run = 1");
            var dry = await client.SendAsync(new HttpMethod(c.Method), path + "?dry_run=true", body, Http.NewKey());
            Assert.Equal(before, await SnapshotAsync());

            if (c.Rejected)
            {
                Assert.Equal(400, dry.Status);
                Assert.Contains("dry_run", dry.DetailFields);
                continue;
            }
            Assert.Equal(dryRunAudits + 1, await StoreSnapshot.CountAsync(_server.Database, "audit_log", "dry_run = 1"));
            Assert.Equal("true", dry.Header("Dry-Run"));
            Assert.Null(dry.Header("X-Operation-Id"));

            var real = await client.SendAsync(new HttpMethod(c.Method), path, body, Http.NewKey());
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
