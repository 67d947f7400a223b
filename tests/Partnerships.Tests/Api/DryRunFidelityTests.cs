using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
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

    /// <summary>
    /// Every write route of the endpoint table, with its body record's example (the one the OpenAPI document shows) and its
    /// path filled from a fresh registration: a new write is covered by declaring its route, with nothing to add here.
    /// </summary>
    [Fact]
    public async Task Every_write_route_dry_runs_its_example_exactly_as_the_real_call_then_answers()
    {
        var routes = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Write: e.Metadata.GetMetadata<WriteEndpoint.WriteRouteMetadata>()))
            .Where(e => e.Write is not null).ToList();
        Assert.True(routes.Count >= 6, "expected the six partner writes, found " + routes.Count);

        using var client = await _server.DemoClientAsync();
        foreach (var (endpoint, write) in routes)
        {
            var route = endpoint.RoutePattern.RawText!;
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single();
            var example = endpoint.Metadata.GetMetadata<WriteEndpoint.RequestBodyMetadata>()?.Example;
            Assert.True(example is not null, route + " declares no body example");
            var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
            var path = FillPath(endpoint.RoutePattern, registration.Data);
            var body = WithPlatform(JsonSerializer.Serialize(example, example!.GetType()));

            var before = await SnapshotAsync();
            var dryRunAudits = await StoreSnapshot.CountAsync(_server.Database, "audit_log", "dry_run = 1");
            var dry = await client.SendAsync(new HttpMethod(method), path + "?dry_run=true", body, Http.NewKey());
            Assert.Equal(before, await SnapshotAsync());

            if (!write!.Route.SupportsDryRun)
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

    /// <summary>Route parameters from the registration's answer: account_id, and a page's page_id and layout_id.</summary>
    private static string FillPath(RoutePattern pattern, JsonElement registration)
    {
        var page = registration.GetProperty("pages")[0];
        var path = "/" + pattern.RawText!.TrimStart('/');
        foreach (var parameter in pattern.Parameters)
        {
            var source = registration.TryGetProperty(parameter.Name, out var v) ? v : page.GetProperty(parameter.Name);
            path = path.Replace("{" + parameter.Name + "}", source.GetString(), StringComparison.Ordinal);
        }
        return path;
    }

    /// <summary>A body naming a platform names the test's demo platform.</summary>
    private string WithPlatform(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (node.ContainsKey("platform_parent_account_id")) node["platform_parent_account_id"] = _server.DemoOne.PlatformParentAccountId;
        return node.ToJsonString();
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
