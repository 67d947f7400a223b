using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Observability;

/// <summary>
/// A server process writes one access line per request to its stdout — as text by default, as one JSON object per line
/// with Logging:Format=json — with the request id, platform, route template, method, status and duration, and nothing
/// personal.
/// </summary>
public sealed class AccessLogTests : IAsyncLifetime
{
    private TestServer _seeded = null!;

    public async Task InitializeAsync() => _seeded = await TestServer.StartAsync(StoreKind.Sqlite, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
    public async Task DisposeAsync() => await _seeded.DisposeAsync();

    private static readonly Dictionary<string, string> AccessLines = new()
    {
        ["Outbox:Dispatcher"] = "false",
        ["Logging:LogLevel:Partnerships.Api.Hosting.RequestIdMiddleware"] = "Information",
    };

    private async Task<(ServerProcess Process, string RequestId, string AccountId)> ServeOneReadAsync(IDictionary<string, string> settings)
    {
        var process = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(_seeded, settings));
        using var partner = process.Client(await _seeded.TokenAsync(_seeded.DemoOne.ClientId, _seeded.DemoOne.ClientSecret));
        var accountId = await partner.RegisterAsync(_seeded.DemoOne.PlatformParentAccountId);
        var read = await partner.GetJsonAsync($"/v1/partnership/accounts/{accountId}/marketplacecontrolslists?fields=x");
        return (process, read.Header("X-Request-Id")!, accountId);
    }

    private static async Task<string> LineAsync(ServerProcess process, string requestId)
    {
        var line = await TelemetryTests.PollAsync(() => Task.FromResult(process.Output.FirstOrDefault(l => l.Contains(requestId) && l.Contains("answered"))),
            l => l is not null);
        Assert.NotNull(line);
        return line!;
    }

    [Fact]
    public async Task By_default_each_request_leaves_one_text_line_with_its_route_template_status_duration_request_id_and_platform()
    {
        var (process, requestId, accountId) = await ServeOneReadAsync(AccessLines);
        await using var _ = process;
        var line = await LineAsync(process, requestId);
        Assert.Matches(@"GET /v1/partnership/accounts/\{account_id\}/marketplacecontrolslists answered (200|400) in [0-9.]+ ms", line);
        Assert.Contains($"platform {_seeded.DemoOne.PlatformParentAccountId}", line);
        AssertNothingPersonal(process, line, accountId);
    }

    [Fact]
    public async Task With_Logging_Format_json_each_line_is_a_JSON_object_whose_access_fields_are_named()
    {
        var (process, requestId, accountId) = await ServeOneReadAsync(new Dictionary<string, string>(AccessLines) { ["Logging:Format"] = "json" });
        await using var _ = process;
        var line = await LineAsync(process, requestId);
        using var json = JsonDocument.Parse(line);
        var state = json.RootElement.GetProperty("State");
        Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal(requestId, state.GetProperty("request_id").GetString());
        Assert.Equal("GET", state.GetProperty("method").GetString());
        Assert.Equal("/v1/partnership/accounts/{account_id}/marketplacecontrolslists", state.GetProperty("route").GetString());
        Assert.Equal(_seeded.DemoOne.PlatformParentAccountId, state.GetProperty("platform").GetString());
        Assert.True(state.GetProperty("duration_ms").GetDouble() >= 0);
        Assert.Contains(state.GetProperty("status").GetInt32(), new[] { 200, 400 });
        // Every line the process wrote is JSON, the banner-free start included.
        Assert.All(process.Output.Where(l => l.Length > 0), l => JsonDocument.Parse(l).Dispose());
        AssertNothingPersonal(process, line, accountId);
    }

    /// <summary>The access line names the route, not the path; no line holds a query string, an e-mail address, a secret or a client address.</summary>
    private void AssertNothingPersonal(ServerProcess process, string accessLine, string accountId)
    {
        // The server's own listening address is not a client's.
        var all = string.Join('\n', process.Output.Where(l => !l.Contains("Now listening on", StringComparison.Ordinal)));
        Assert.DoesNotContain(accountId, accessLine);
        Assert.DoesNotContain("fields=x", all);
        Assert.DoesNotMatch(@"[\w.+-]+@[\w-]+\.[\w.]+", all);
        Assert.DoesNotContain(_seeded.DemoOne.ClientSecret, all);
        Assert.DoesNotContain("127.0.0.1", all);
    }
}
