using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Partnerships.Api.Hosting;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Observability;

/// <summary>
/// /metrics answers Prometheus text to an admin key only, and counts requests and write outcomes; every request's span
/// carries its request id (a write's also its operation id), with the store's commands and the deliveries it caused.
/// </summary>
public abstract class TelemetryTests(StoreKind kind) : IAsyncLifetime
{
    private readonly SpanSink _spans = new();
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind,
        configureServices: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(_spans)));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Controls(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    private static object Blocking(long subVertical) => new
    {
        name = "Controls", blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = subVertical, policy = "Block" } }, domains = Array.Empty<object>(),
    };

    [Fact]
    public async Task Metrics_need_an_admin_key_and_then_show_request_durations_and_write_outcomes_in_Prometheus_text()
    {
        using var anonymous = _server.Client();
        var refused = await anonymous.GetJsonAsync(Telemetry.MetricsPath);
        Assert.Equal(401, refused.Status);
        Assert.NotNull(refused.Error);
        Assert.False(string.IsNullOrEmpty(refused.Json.GetProperty("request_id").GetString()));

        using var partner = await _server.DemoClientAsync();
        Assert.Equal(403, (await partner.GetJsonAsync(Telemetry.MetricsPath)).Status);

        var accountId = await partner.RegisterAsync(_server.DemoOne.PlatformParentAccountId);
        Assert.Equal(200, (await partner.PutJsonAsync(Controls(accountId) + "?dry_run=true", Blocking(1610), Http.NewKey())).Status);
        Assert.Equal(200, (await partner.PutJsonAsync(Controls(accountId), Blocking(1610), Http.NewKey())).Status);

        using var admin = _server.AdminClient();
        var route = "route=\"/v1/partnership/accounts/{account_id}/marketplacecontrolslists\"";
        var text = await PollAsync(async () =>
        {
            using var response = await admin.GetAsync(Telemetry.MetricsPath);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
            return await response.Content.ReadAsStringAsync();
        }, t => Lines(t, "partnerships_writes_total{").Any(l => l.Contains("outcome=\"dry_run\"") && l.Contains(route))
                && Lines(t, "partnerships_writes_total{").Any(l => l.Contains("outcome=\"committed\"") && l.Contains(route)));

        Assert.Contains(Lines(text, "http_server_request_duration_seconds_count{"), l => l.Contains("http_route=\"/v1/accounts/register/partnership\"")
            && l.Contains("http_response_status_code=\"201\""));
        Assert.Contains(Lines(text, "partnerships_writes_total{"), l => l.Contains("outcome=\"committed\"") && l.Contains("route=\"/v1/accounts/register/partnership\""));
        Assert.Contains("# TYPE partnerships_outbox_depth gauge", text);
    }

    [Fact]
    public async Task A_write_span_carries_its_request_and_operation_ids_with_its_store_commands_and_the_delivery_it_caused()
    {
        using var partner = await _server.DemoClientAsync();
        var reply = await partner.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
        Assert.Equal(201, reply.Status);
        var requestId = reply.Header("X-Request-Id");
        var operationId = reply.Header("X-Operation-Id");
        Assert.NotNull(operationId);

        var request = await PollAsync(() => Task.FromResult(_spans.Find(s => s.Kind == ActivityKind.Server && Tag(s, Telemetry.RequestIdTag) == requestId)),
            s => s is not null);
        Assert.Equal(operationId, Tag(request!, Telemetry.OperationIdTag));
        Assert.Equal(_server.DemoOne.PlatformParentAccountId, Tag(request!, Telemetry.PlatformTag));
        Assert.Equal("/v1/accounts/register/partnership", Tag(request!, "http.route"));

        // The store's commands ran inside it: SQLite's statements through the service's own source, PostgreSQL's through Npgsql's.
        var source = kind == StoreKind.Sqlite ? Partnerships.Storage.StoreTelemetry.SourceName : "Npgsql";
        Assert.Contains(_spans.All(), s => s.TraceId == request!.TraceId && s.Source.Name == source && s.Kind == ActivityKind.Client);

        // The merchant's welcome e-mail went out later, as a delivery of its own that names the write's operation.
        var delivery = await PollAsync(() => Task.FromResult(_spans.Find(s => s.DisplayName == "outbox deliver" && Tag(s, Telemetry.OperationIdTag) == operationId)),
            s => s is not null);
        Assert.Equal("email", Tag(delivery!, "partnerships.channel"));
        Assert.Equal("delivered", Tag(delivery!, "partnerships.outcome"));

        // Probes and scrapes are not traced.
        using var anonymous = _server.Client();
        var probe = await anonymous.GetAsync("/readyz");
        Assert.DoesNotContain(_spans.All(), s => Tag(s, Telemetry.RequestIdTag) == probe.Headers.GetValues("X-Request-Id").Single());
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static IEnumerable<string> Lines(string text, string prefix) => text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));

    internal static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = await read();
            if (until(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }

    /// <summary>The in-memory exporter's list, safe to read while spans are still exported.</summary>
    private sealed class SpanSink : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];
        public Activity? Find(Func<Activity, bool> match) { lock (_items) return _items.FirstOrDefault(match); }
        public Activity[] All() { lock (_items) return [.. _items]; }
        public void Add(Activity item) { lock (_items) _items.Add(item); }
        public void Clear() { lock (_items) _items.Clear(); }
        public bool Contains(Activity item) { lock (_items) return _items.Contains(item); }
        public void CopyTo(Activity[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
        public bool Remove(Activity item) { lock (_items) return _items.Remove(item); }
        public int Count { get { lock (_items) return _items.Count; } }
        public bool IsReadOnly => false;
        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)All()).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class SqliteTelemetryTests() : TelemetryTests(StoreKind.Sqlite);
public sealed class PostgresTelemetryTests() : TelemetryTests(StoreKind.Postgres);
