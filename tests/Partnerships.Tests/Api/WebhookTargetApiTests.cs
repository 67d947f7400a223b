using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Partnerships.Delivery;
using Partnerships.Tests.Domain.Webhooks;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Webhook targets checked when an operator sets them and again on every delivery connection, with the tests' own DNS.</summary>
public abstract class WebhookTargetApiTests(StoreKind kind) : IAsyncLifetime
{
    private static readonly string[] Tables = [.. StoreSnapshot.StateTables, "webhook_endpoints", "outbox_messages", "events"];
    private readonly FixedResolver _resolver = WebhookTargetCases.Resolver();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartNewAsync();
    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private Task<TestServer> StartAsync(bool allowPrivate) => TestServer.StartAsync(kind, new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateTargets"] = allowPrivate ? "true" : "false",
        ["Outbox:PollMilliseconds"] = "50",
        ["Outbox:BaseDelayMilliseconds"] = "100",
    }, configureServices: services =>
    {
        services.RemoveAll<IWebhookResolver>();
        services.AddSingleton<IWebhookResolver>(_resolver);
    });

    [Fact]
    public async Task Every_url_that_is_not_a_public_https_target_is_400_naming_url_and_the_endpoint_stays_as_it_was()
    {
        await using var server = await StartAsync(allowPrivate: false);
        using var admin = server.AdminClient();
        var path = $"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook";
        var set = await admin.PutJsonAsync(path, new { url = "https://hooks.partner-one.com/partnerships" });
        Assert.Equal(200, set.Status);
        var before = await StoreSnapshot.TakeAsync(server.Database, Tables);

        foreach (var (url, reason) in WebhookTargetCases.Refused)
        {
            var reply = await admin.PutJsonAsync(path, new { url });
            Assert.True(reply.Status == 400, $"{url}: {reply}");
            Assert.Equal("BadRequest", reply.Error);
            Assert.Equal(["url"], reply.DetailFields);
            if (url.Length > 0) Assert.Contains(reason, reply.Json.GetProperty("details")[0].GetProperty("issue").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await StoreSnapshot.TakeAsync(server.Database, Tables));
        var shown = await admin.GetJsonAsync(path);
        Assert.Equal("https://hooks.partner-one.com/partnerships", shown.Data.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_url_is_stored_in_its_checked_canonical_form()
    {
        await using var server = await StartAsync(allowPrivate: false);
        using var admin = server.AdminClient();
        var path = $"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook";
        var set = await admin.PutJsonAsync(path, new { url = "https://ｈｏｏｋｓ．Partner-One。COM.:443/partnerships#x" });
        Assert.Equal(200, set.Status);
        Assert.Equal("https://hooks.partner-one.com/partnerships", set.Data.GetProperty("url").GetString());
        Assert.Equal("https://hooks.partner-one.com/partnerships", (await admin.GetJsonAsync(path)).Data.GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_by_delivery_time_is_refused_and_nothing_connects()
    {
        // Counts every TCP connection to 127.0.0.1:port: a delivery that followed the new DNS answer would show up here.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var socket = await listener.AcceptSocketAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                }
            }
            catch (OperationCanceledException) { }
        });

        await using var server = await StartAsync(allowPrivate: false);
        using var admin = server.AdminClient();
        _resolver.Set("rebind.partner-one.com", "93.184.215.20");
        var set = await admin.PutJsonAsync($"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook",
            new { url = $"https://rebind.partner-one.com:{port}/hooks" });
        Assert.Equal(200, set.Status);

        _resolver.Set("rebind.partner-one.com", "127.0.0.1");
        var lookups = _resolver.Lookups;
        using var client = await server.DemoClientAsync();
        Assert.Equal(201, (await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(server.DemoOne.PlatformParentAccountId))).Status);

        var dead = await WaitForDeadWebhookAsync(admin);
        Assert.Contains("target refused: rebind.partner-one.com resolves to 127.0.0.1 is a loopback address", dead.GetProperty("last_error").GetString());
        Assert.True(_resolver.Lookups > lookups); // delivery resolved the name again, itself
        await stop.CancelAsync();
        await accepting;
        Assert.Equal(0, connections);
    }

    [Fact]
    public async Task Deliveries_connect_to_the_address_the_delivery_resolved()
    {
        // The control for the test above: allowed to, the same path reaches a receiver that only the tests' DNS knows.
        await using var server = await StartAsync(allowPrivate: true);
        using var admin = server.AdminClient();
        _resolver.Set("receiver.partner-one.com", "127.0.0.1");
        var receiver = new Uri(_receiver.Url);
        var set = await admin.PutJsonAsync($"/admin/v1/platforms/{server.DemoOne.PlatformParentAccountId}/webhook",
            new { url = $"http://receiver.partner-one.com:{receiver.Port}{receiver.PathAndQuery}" });
        Assert.Equal(200, set.Status);
        _receiver.Secret = set.Data.GetProperty("secret").GetString()!;

        using var client = await server.DemoClientAsync();
        Assert.Equal(201, (await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(server.DemoOne.PlatformParentAccountId))).Status);
        var received = await _receiver.WaitForAsync(r => r.Count >= 1);
        Assert.True(received[0].SignatureValid);
    }

    private static async Task<System.Text.Json.JsonElement> WaitForDeadWebhookAsync(HttpClient admin)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var reply = await admin.GetJsonAsync("/admin/v1/outbox?status=dead");
            Assert.Equal(200, reply.Status);
            foreach (var row in reply.Data.EnumerateArray())
            {
                if (row.GetProperty("channel").GetString() == "webhook") return row.Clone();
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no dead webhook message");
            await Task.Delay(100);
        }
    }
}

public sealed class SqliteWebhookTargetApiTests() : WebhookTargetApiTests(StoreKind.Sqlite);
public sealed class PostgresWebhookTargetApiTests() : WebhookTargetApiTests(StoreKind.Postgres);
