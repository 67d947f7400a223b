using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Api.Hosting;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// HEAD and 405 over the app's own endpoint table: every GET route answers HEAD like GET without a body, and every
/// method a path does not support is a 405 envelope with an <c>Allow</c> naming the path's methods (HEAD beside GET),
/// given after the same authentication as the path's routes and alike whether the resource exists or not.
/// </summary>
public abstract class HttpMethodTests(StoreKind kind) : IAsyncLifetime
{
    private static readonly string[] Probed = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    private static readonly string[] Surfaces = ["Partner", "Admin", "OAuth"];

    private TestServer _server = null!;
    private HttpClient _partner = null!;
    private HttpClient _admin = null!;
    private HttpClient _anonymous = null!;
    private Dictionary<string, string> _ids = null!;

    // The dispatcher would change the outbox between a GET and its HEAD; nothing else moves while a test reads.
    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
        _partner = await _server.DemoClientAsync();
        _admin = _server.AdminClient();
        _anonymous = _server.Client();
        var registration = await _partner.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
        Assert.Equal(201, registration.Status);
        _ids = new Dictionary<string, string>
        {
            ["account_id"] = registration.Data.GetProperty("account_id").GetString()!,
            ["layout_id"] = registration.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!,
            ["page_id"] = registration.Data.GetProperty("pages")[0].GetProperty("page_id").GetString()!,
            ["operation_id"] = registration.Header("X-Operation-Id")!,
            ["platform_id"] = _server.DemoOne.PlatformParentAccountId,
            ["documentName"] = "v1",
        };
        using var other = _server.Client(await _server.TokenAsync(_server.DemoMcc.ClientId, _server.DemoMcc.ClientSecret));
        _ids["foreign_account_id"] = await IdempotencyTests.RegisterMccAsync(other, _server.DemoMcc.PlatformParentAccountId);
        var privacy = await _partner.PostJsonAsync($"/v1/partnership/network-privacy-requests?parent_account_id={_server.DemoOne.PlatformParentAccountId}",
            new { requestType = "NETWORK_OPT_OUT", email = "head-probe@example.com" });
        Assert.Equal(202, privacy.Status);
        _ids["request_id"] = privacy.Json.GetProperty("requestId").GetString()!;
    }

    public async Task DisposeAsync()
    {
        _partner.Dispose();
        _admin.Dispose();
        _anonymous.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A route pattern, the surface of each of its methods' endpoints (null: a route that takes no credential), its parameters.</summary>
    private sealed record Route(string Pattern, IReadOnlyDictionary<string, string?> Surfaces, IReadOnlyList<string> Parameters)
    {
        public IReadOnlySet<string> Methods => Surfaces.Keys.ToHashSet();
        /// <summary>The GET's surface where there is one (the shared vertical-mappings path is a partner GET and an operator POST).</summary>
        public string? Surface => Surfaces.GetValueOrDefault("GET") ?? Surfaces.Values.FirstOrDefault();
    }

    /// <summary>Every route pattern with the methods its endpoints declare, straight from the endpoint table.</summary>
    private List<Route> Routes() => _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        // The web console answers in HTML, not the envelope; its own tests cover it.
        .Where(e => !("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/console", StringComparison.Ordinal))
        .GroupBy(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
        .Select(g => new Route(g.Key,
            g.SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m,
                Surface: e.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).FirstOrDefault(Surfaces.Contains))))
                .ToDictionary(x => x.Method, x => x.Surface),
            g.First().RoutePattern.Parameters.Select(p => p.Name).ToList()))
        .ToList();

    private string Fill(Route route, Func<string, string>? value = null)
    {
        var path = route.Pattern;
        foreach (var name in route.Parameters)
        {
            var start = path.IndexOf("{" + name, StringComparison.Ordinal);
            var end = path.IndexOf('}', start);
            path = path[..start] + (value?.Invoke(name) ?? _ids.GetValueOrDefault(name, "1")) + path[(end + 1)..];
        }
        return path;
    }

    /// <summary>The client whose credential the path's routes take: a partner token, an admin key, or none.</summary>
    private HttpClient ClientFor(Route route) => route.Surface switch
    {
        "Partner" => _partner,
        // The Prometheus scrape is on no surface of the API, but takes an admin key.
        null when route.Pattern == "/metrics" => _admin,
        "Admin" => _admin,
        _ => _anonymous,
    };

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        return await client.SendAsync(request);
    }

    /// <summary>Every header of a response but the per-request ones, as one comparable text.</summary>
    private static string Headers(HttpResponseMessage response, bool framing = true) => string.Join("\n", response.Headers.Concat(response.Content.Headers)
        // What changes from one request to the next: the time, the request's id, and the budget left (the HEAD spent one more).
        .Where(h => !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase)
            && !h.Key.Equals("RateLimit", StringComparison.OrdinalIgnoreCase))
        .Where(h => framing || !(h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)))
        .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(", ", h.Value)}").Order(StringComparer.Ordinal));

    [Fact]
    public async Task Every_GET_route_answers_HEAD_with_the_same_status_and_headers_and_no_body()
    {
        var gets = Routes().Where(r => r.Methods.Contains("GET")).ToList();
        Assert.Contains(gets, r => r.Surface == "Partner");
        Assert.Contains(gets, r => r.Surface == "Admin");
        Assert.Contains(gets, r => r.Pattern == "/healthz");
        Assert.Contains(gets, r => r.Pattern.StartsWith("/openapi/", StringComparison.Ordinal));
        foreach (var route in gets)
        {
            var path = Fill(route);
            var client = ClientFor(route);
            using var get = await SendAsync(client, "GET", path);
            var getBody = await get.Content.ReadAsByteArrayAsync();
            using var head = await SendAsync(client, "HEAD", path);
            var headBody = await head.Content.ReadAsByteArrayAsync();

            Assert.True(get.StatusCode == head.StatusCode, $"HEAD {path}: {(int)head.StatusCode}, GET {(int)get.StatusCode}");
            Assert.True((int)get.StatusCode < 400 || route.Pattern.Contains("webhook", StringComparison.Ordinal), $"GET {path}: {(int)get.StatusCode}");
            Assert.Equal(getBody.Length, get.Content.Headers.ContentLength);
            // A GET too large to buffer streams (chunked); its HEAD still states the exact length (RFC 9110 §8.6), so framing aside they agree.
            if (get.Headers.TransferEncodingChunked == true)
            {
                Assert.True(getBody.Length > ContentLengthMiddleware.MaxBufferedBytes, $"GET {path} is chunked at {getBody.Length} bytes");
                Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
            }
            Assert.True(Headers(get, framing: false) == Headers(head, framing: false),
                $"HEAD {path} headers differ from its GET's:\nGET:\n{Headers(get)}\nHEAD:\n{Headers(head)}");
            Assert.Empty(headBody);
            Assert.True(Guid.TryParse(head.Headers.GetValues("X-Request-Id").Single(), out _), $"HEAD {path} has no request id");
        }
    }

    [Fact]
    public async Task HEAD_is_authenticated_and_audited_as_the_GET_it_mirrors_and_never_runs_a_write()
    {
        var accountPath = $"/v1/partnership/accounts/{_ids["account_id"]}/marketplacecontrolslists";
        using var get = await SendAsync(_anonymous, "GET", accountPath);
        using var head = await SendAsync(_anonymous, "HEAD", accountPath);
        Assert.Equal(401, (int)head.StatusCode);
        Assert.Equal(Headers(get), Headers(head));
        Assert.Equal("Bearer", head.Headers.WwwAuthenticate.Single().Scheme);

        using var withToken = await SendAsync(_partner, "HEAD", accountPath);
        Assert.Equal(200, (int)withToken.StatusCode);
        Assert.NotNull(withToken.Headers.ETag);

        using var anonymousAdmin = await SendAsync(_anonymous, "HEAD", "/admin/v1/platforms");
        Assert.Equal(401, (int)anonymousAdmin.StatusCode);
        var audit = await _admin.GetJsonAsync("/admin/v1/audit?request_id=" + anonymousAdmin.Headers.GetValues("X-Request-Id").Single());
        var entry = Assert.Single(audit.Data.EnumerateArray());
        Assert.Equal("HEAD", entry.GetProperty("method").GetString());
        Assert.Equal("admin.auth", entry.GetProperty("action").GetString());

        // A HEAD on a write's path is a 405 and changes nothing: it is never routed to the write.
        var before = await StoreSnapshot.TakeAllExceptAsync(_server.Database, "audit_log");
        using var writeHead = new HttpRequestMessage(HttpMethod.Head, "/v1/accounts/register/partnership");
        writeHead.Headers.Add("Idempotency-Key", Http.NewKey());
        using var refused = await _partner.SendAsync(writeHead);
        Assert.Equal(405, (int)refused.StatusCode);
        Assert.Equal("POST", string.Join(", ", refused.Content.Headers.Allow));
        Assert.Equal(before, await StoreSnapshot.TakeAllExceptAsync(_server.Database, "audit_log"));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_no_head_operations()
    {
        var doc = JsonDocument.Parse(await _anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var methods = doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => m.Name)).ToList();
        Assert.Contains("get", methods);
        Assert.DoesNotContain("head", methods);
        Assert.DoesNotContain("options", methods);
    }

    [Fact]
    public async Task Every_unsupported_method_on_every_route_is_a_405_envelope_with_Allow_naming_the_paths_methods()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Surface == "Partner" && r.Methods.Contains("PATCH"));
        var probes = 0;
        foreach (var route in routes)
        {
            var allowed = route.Methods.ToHashSet();
            if (allowed.Contains("GET")) allowed.Add("HEAD");
            var expectedAllow = string.Join(", ", Probed.Where(allowed.Contains).Concat(allowed.Except(Probed).Order(StringComparer.Ordinal)));
            // An existing resource, one that does not exist, and (on account paths) another platform's: one and the same 405.
            var variants = new List<string> { Fill(route), Fill(route, _ => Guid.NewGuid().ToString()) };
            if (route.Parameters.Contains("account_id")) variants.Add(Fill(route, n => n == "account_id" ? _ids["foreign_account_id"] : _ids.GetValueOrDefault(n, "1")));
            foreach (var method in Probed.Where(m => !allowed.Contains(m)))
            {
                var answers = new List<string>();
                foreach (var path in variants)
                {
                    using var response = await SendAsync(ClientFor(route), method, path);
                    var bytes = await response.Content.ReadAsByteArrayAsync();
                    var body = System.Text.Encoding.UTF8.GetString(bytes);
                    Assert.True(405 == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {body}");
                    Assert.Equal(expectedAllow, string.Join(", ", response.Content.Headers.Allow));
                    var answer = $"{string.Join(", ", response.Content.Headers.Allow)} {response.Content.Headers.ContentType}";
                    if (method == "HEAD")
                    {
                        Assert.Empty(bytes);
                        Assert.True(response.Content.Headers.ContentLength > 0, $"HEAD {path} states no length");
                    }
                    else
                    {
                        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
                        var json = JsonDocument.Parse(body).RootElement;
                        Assert.Equal(405, json.GetProperty("status").GetInt32());
                        Assert.Equal("MethodNotAllowed", json.GetProperty("error").GetString());
                        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), json.GetProperty("request_id").GetString());
                        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").ValueKind);
                        answer += " " + json.GetProperty("message").GetString()!.Replace(path, "{path}") + " " + json.GetProperty("details");
                    }
                    answers.Add(answer);
                    probes++;
                }
                Assert.Single(answers.Distinct());
            }
        }
        Assert.True(probes > 50, $"only {probes} probes");
    }

    [Fact]
    public async Task A_405_comes_after_the_same_authentication_as_the_paths_routes()
    {
        var status = $"/v1/partnership/accounts/{_ids["account_id"]}/status";
        // Partner paths: no token is the 401 any of their routes gives, whatever the method.
        using (var get = await SendAsync(_anonymous, "GET", status))
        using (var delete = await SendAsync(_anonymous, "DELETE", status))
        {
            Assert.Equal(401, (int)get.StatusCode);
            Assert.Equal(401, (int)delete.StatusCode);
            Assert.Equal("Bearer", delete.Headers.WwwAuthenticate.Single().Scheme);
        }
        using (var delete = await SendAsync(_partner, "DELETE", status)) Assert.Equal(405, (int)delete.StatusCode);

        // Admin paths: the key first, and the refused attempt is audited either way.
        using (var anonymous = await SendAsync(_anonymous, "DELETE", "/admin/v1/admin-keys")) Assert.Equal(401, (int)anonymous.StatusCode);
        using (var withKey = await SendAsync(_admin, "PATCH", "/admin/v1/admin-keys"))
        {
            Assert.Equal(405, (int)withKey.StatusCode);
            var audit = await _admin.GetJsonAsync("/admin/v1/audit?request_id=" + withKey.Headers.GetValues("X-Request-Id").Single());
            var entry = Assert.Single(audit.Data.EnumerateArray());
            Assert.Equal(405, entry.GetProperty("status").GetInt32());
            Assert.Equal(_server.AdminKeyId, entry.GetProperty("actor").GetString());
        }

        // The one path shared by both surfaces (partner GET, operator POST) takes either credential.
        const string shared = "/v1/partnership/vertical-mappings";
        using (var anonymous = await SendAsync(_anonymous, "DELETE", shared)) Assert.Equal(401, (int)anonymous.StatusCode);
        using (var partner = await SendAsync(_partner, "DELETE", shared)) Assert.Equal(405, (int)partner.StatusCode);
        using (var admin = await SendAsync(_admin, "DELETE", shared))
        {
            Assert.Equal(405, (int)admin.StatusCode);
            Assert.Equal("GET, HEAD, POST", string.Join(", ", admin.Content.Headers.Allow));
            var audit = await _admin.GetJsonAsync("/admin/v1/audit?request_id=" + admin.Headers.GetValues("X-Request-Id").Single());
            Assert.Equal(_server.AdminKeyId, Assert.Single(audit.Data.EnumerateArray()).GetProperty("actor").GetString());
        }

        // Routes that take no credential answer a wrong method without one.
        foreach (var path in new[] { "/healthz", "/readyz", "/openapi/v1.json", "/api/v1/oauth/token" })
        {
            using var response = await SendAsync(_anonymous, "DELETE", path);
            Assert.True(405 == (int)response.StatusCode, $"DELETE {path}: {(int)response.StatusCode}");
        }
    }
}

public sealed class SqliteHttpMethodTests() : HttpMethodTests(StoreKind.Sqlite);

public sealed class PostgresHttpMethodTests() : HttpMethodTests(StoreKind.Postgres);
