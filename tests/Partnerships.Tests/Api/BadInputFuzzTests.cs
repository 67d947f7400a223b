using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Api.Features;
using Partnerships.Api.Hosting;
using Partnerships.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Partnerships.Tests.Api;

/// <summary>
/// Generated bad requests over every route of the partner, admin and token surfaces, as listed by the app's own
/// endpoint table: no answer is a 5xx, every answer the application gives is the envelope (RFC 6749 JSON on the token
/// endpoint), and the store is unchanged apart from the rejected attempts' operations and audit entries. Every request
/// is generated invalid (a mutating request carries the caller's real ids only when its body cannot be accepted), so
/// "unchanged" is exact. A fixed seed and a per-request generator make every failure reproducible by its number.
/// </summary>
public abstract class BadInputFuzzTests(StoreKind kind, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261201;
    private static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), out var n) ? n : 10_500;
    private const int Workers = 4;
    private static readonly string[] Surfaces = ["Partner", "Admin", "OAuth"];

    private TestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false", ["Logging:LogLevel:Default"] = "Error" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed record Route(string Surface, string Method, string Pattern, IReadOnlyList<string> Parameters, bool ReadsBody, bool Bulk, bool Write);

    private sealed record Ids(string Account, string Layout, string ForeignAccount, string Platform, string Credential, string Operation, string Token, string AdminKey);

    /// <summary>One generated request: how it is sent, and which class of bad input it belongs to.</summary>
    private sealed record Case(int Number, string Class, Route Route, string Method, string Target, IReadOnlyList<(string Name, string Value)> Headers,
        byte[]? Body, byte[]? Raw = null, bool KestrelVersion = false, bool EndSending = false);

    [Fact]
    public async Task Ten_thousand_bad_requests_over_every_route_get_no_5xx_always_the_envelope_and_change_nothing_but_bookkeeping()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Surface == "Partner" && r.Write);
        Assert.Contains(routes, r => r.Surface == "Admin" && r.Bulk);
        Assert.Contains(routes, r => r.Surface == "OAuth");
        var ids = await IdsAsync();

        var before = await StoreSnapshot.TakeAllExceptAsync(_server.Database, "operations", "audit_log");
        var operationsBefore = await StoreSnapshot.CountAsync(_server.Database, "operations", "status <> 'failed'");

        var stats = new ConcurrentDictionary<string, ConcurrentDictionary<string, int>>();
        var failures = new ConcurrentQueue<string>();
        var times = new ConcurrentDictionary<string, double>();
        var slow = new ConcurrentQueue<string>();
        var next = -1;
        var clock = Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Workers, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = _server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < Requests && failures.Count < 20)
            {
                var c = Generate(n, routes, ids);
                var started = Stopwatch.StartNew();
                string verdict;
                try
                {
                    verdict = await RunAsync(client, c);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    // A half-closed request (a body shorter than announced) may be reset by the server instead of answered.
                    verdict = c.EndSending && e is IOException ? "ok reset" : "no answer: " + e.Message;
                }
                times.AddOrUpdate(c.Class, started.Elapsed.TotalMilliseconds, (_, t) => t + started.Elapsed.TotalMilliseconds);
                if (started.Elapsed > TimeSpan.FromSeconds(1)) slow.Enqueue($"#{c.Number} [{c.Class}] {c.Method} {Shorten(c.Target)} {string.Join("; ", c.Headers.Select(h => h.Name + ": " + Shorten(h.Value)))} took {started.Elapsed.TotalMilliseconds:0} ms");
                var ok = verdict.StartsWith("ok", StringComparison.Ordinal);
                var key = ok ? verdict[3..] : "FAIL";
                stats.GetOrAdd(c.Class, _ => new()).AddOrUpdate(key, 1, (_, v) => v + 1);
                if (!ok) failures.Enqueue($"#{c.Number} [{c.Class}] {c.Method} {Shorten(c.Target)}: {verdict}");
            }
        })));
        clock.Stop();

        var after = await StoreSnapshot.TakeAllExceptAsync(_server.Database, "operations", "audit_log");
        var operationsAfter = await StoreSnapshot.CountAsync(_server.Database, "operations", "status <> 'failed'");
        var report = Report(stats, times, clock.Elapsed, routes.Count);
        output.WriteLine(report);
        foreach (var line in slow.Take(30)) output.WriteLine(line);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, $"fuzz-report-{kind.ToString().ToLowerInvariant()}.txt"), report);

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.True(stats.Values.Sum(s => s.Values.Sum()) >= 10_000);
        Assert.Equal(operationsBefore, operationsAfter);
        Assert.Equal(before, after);
    }

    private List<Route> Routes()
    {
        var endpoints = _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var routes = new List<Route>();
        foreach (var e in endpoints)
        {
            var surface = e.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).FirstOrDefault(Surfaces.Contains);
            var pattern = "/" + e.RoutePattern.RawText!.TrimStart('/');
            // The web console answers in HTML, not the envelope; its own tests cover it.
            if (pattern.StartsWith("/console", StringComparison.Ordinal)) continue;
            if (surface is null)
            {
                // Only the OpenAPI document, its reference page, the index page, the health probes and the metrics sit outside the three surfaces.
                Assert.True(pattern.StartsWith("/openapi/", StringComparison.Ordinal) || pattern.StartsWith("/reference", StringComparison.Ordinal)
                    || pattern is "/healthz" or "/readyz" or "/metrics" or "/", "a route on no surface: " + pattern);
                continue;
            }
            foreach (var method in e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var write = e.Metadata.GetMetadata<WriteEndpoint.WriteRouteMetadata>() is not null;
                var bulk = e.Metadata.GetMetadata<BulkBodyMetadata>() is not null;
                var readsBody = write || bulk || e.Metadata.GetMetadata<WriteEndpoint.RequestBodyMetadata>() is not null || surface == "OAuth";
                routes.Add(new Route(surface, method, pattern, e.RoutePattern.Parameters.Select(p => p.Name).ToList(), readsBody, bulk, write));
            }
        }
        return routes;
    }

    private async Task<Ids> IdsAsync()
    {
        using var partner = await _server.DemoClientAsync();
        var registration = await partner.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
        Assert.Equal(201, registration.Status);
        using var other = _server.Client(await _server.TokenAsync(_server.DemoMcc.ClientId, _server.DemoMcc.ClientSecret));
        var foreign = await IdempotencyTests.RegisterMccAsync(other, _server.DemoMcc.PlatformParentAccountId);
        using var admin = _server.AdminClient();
        var credentials = await admin.GetJsonAsync($"/admin/v1/platforms/{_server.DemoOne.PlatformParentAccountId}/credentials");
        return new Ids(registration.Data.GetProperty("account_id").GetString()!, registration.Data.GetProperty("pages")[0].GetProperty("layout_id").GetString()!,
            foreign, _server.DemoOne.PlatformParentAccountId, credentials.Data[0].GetProperty("credential_id").GetString()!,
            registration.Header("X-Operation-Id")!, partner.DefaultRequestHeaders.Authorization!.Parameter!, _server.AdminKey);
    }

    // ---------------------------------------------------------------- generation

    private static readonly string[] Classes =
    [
        "malformed-json", "invalid-utf8", "surrogate", "duplicate-key", "deep-nesting", "wrong-value", "content-type", "oversized",
        "bad-header", "repeated-header", "odd-path-id", "wrong-method", "bad-query", "raw-garbage",
    ];

    private static readonly string[] OddIds =
    [
        "0", "-1", "00000000-0000-0000-0000-000000000000", "null", "undefined", "%2e%2e", "..", "%20", "%FF", "%C0%AF", "%ED%A0%80", "%E2%80%AE",
        "%EF%BF%BF", "%u0041", "%25", "~", "ü", "%F0%9F%98%80", "' OR '1'='1", "9223372036854775808", "1e309", "{account_id}", "%7B%7D", "a;b", "a,b",
        new string('a', 300), new string('9', 40), "%0D%0AX-Injected:1",
    ];

    private Case Generate(int number, List<Route> routes, Ids ids)
    {
        var random = new Random(Seed + number);
        var route = routes[random.Next(routes.Count)];
        var cls = Classes[random.Next(Classes.Length)];
        // A body-less mutating route (rotate, revoke, replay…) would act on real ids: it only ever gets odd ones.
        var mutating = route.Method is not ("GET" or "HEAD");
        var realIds = !mutating || route.ReadsBody;
        var headers = new List<(string, string)>();
        Auth(route, ids, headers);
        var target = Target(route, ids, random, realIds && cls != "odd-path-id");
        var method = route.Method;
        // A body-less mutating route with no id at all (create an admin key, rotate the signing key) has nothing to make
        // odd: it gets a body, which such a route refuses, so the request stays invalid whatever its class.
        byte[]? body = route.ReadsBody ? Invalid(route, random)
            : mutating && !route.Pattern.Contains('{') ? Encoding.UTF8.GetBytes("{\"unexpected\":true}") : null;
        var contentType = route.Surface == "OAuth" ? "application/x-www-form-urlencoded" : route.Bulk && random.Next(3) == 0 ? "text/csv" : "application/json";
        byte[]? raw = null;
        var version = false;
        var endSending = false;

        switch (cls)
        {
            case "malformed-json":
                body = route.Surface == "OAuth" ? BadForm(random) : Malformed(route, random);
                break;
            case "invalid-utf8":
                body = InvalidUtf8(route, random);
                break;
            case "surrogate":
                body = route.Surface == "OAuth" ? Encoding.ASCII.GetBytes("grant_type=client_credentials&client_id=%ED%A0%80&client_secret=x") : Surrogate(route, random);
                break;
            case "duplicate-key":
                body = route.Surface == "OAuth" ? Encoding.ASCII.GetBytes(Pick(random, "grant_type=client_credentials&grant_type=client_credentials&client_id=a&client_secret=b",
                    "grant_type=client_credentials&client_id=a&client_id=b&client_secret=c", "grant_type=client_credentials&client_id=a&client_secret=b&client_secret=c",
                    "grant_type=client_credentials&scope=a&scope=b&client_id=a&client_secret=b")) : Duplicate(route, random);
                break;
            case "deep-nesting":
                body = Deep(random);
                break;
            case "wrong-value":
                body = route.Surface == "OAuth" ? BadForm(random) : WrongValue(route, random);
                break;
            case "content-type":
                contentType = Pick(random, "text/plain", "multipart/form-data; boundary=xyz", "application/xml", "", "application/json; charset=utf-16",
                    "application/x-www-form-urlencoded", "application/json/../x", "*/*", "application/jsonx", "text/csv; charset=latin1", "application/grpc");
                body = random.Next(3) == 0 ? Encoding.Unicode.GetBytes("{\"x\": 1}") : route.Surface == "OAuth"
                    ? Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--xyz--\r\n")
                    : Invalid(route, random);
                break;
            case "oversized":
                raw = Oversized(route, target, headers, contentType, random);
                break;
            case "bad-header":
                headers.Add(Pick(random,
                    ("Idempotency-Key", "not-a-uuid"), ("Idempotency-Key", new string('k', 5000)), ("Idempotency-Key", ""), ("If-Match", "\"unterminated"),
                    ("If-Match", "W/\"weak\""), ("If-Match", new string('"', 3000)), ("X-Platform-Parent-Account-Id", "someone-else"),
                    ("X-Platform-Parent-Account-Id", new string('p', 4000)), ("Accept", "application/xml"), ("Content-Encoding", "gzip"),
                    ("Transfer-Encoding", "gzip, chunked"), ("Expect", "100-continue"), ("Range", "bytes=0-1"), ("X-HTTP-Method-Override", "DELETE")));
                if (random.Next(2) == 0)
                {
                    headers.RemoveAll(h => h.Item1 == "Authorization");
                    headers.Add(("Authorization", Pick(random, "Bearer", "Bearer ", "Bearer a.b.c", "Bearer " + new string('x', 6000), "Basic !!!",
                        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b")), "Bearer padm_" + new string('0', 40), "bearer\tx", "Digest x",
                        "Bearer " + ids.Token[..^3] + "abc")));
                }
                raw = RawHttp.Request(method, target, [.. headers, ("Content-Type", contentType)], body);
                break;
            case "repeated-header":
                var (name, first, second) = Pick(random,
                    ("Idempotency-Key", Guid.NewGuid().ToString(), Guid.NewGuid().ToString()),
                    ("X-Platform-Parent-Account-Id", ids.Platform, ids.Platform),
                    ("If-Match", "\"a\"", "\"b\""),
                    ("Authorization", headers.FirstOrDefault(h => h.Item1 == "Authorization").Item2 ?? "Bearer x", "Bearer y"),
                    ("Content-Type", contentType, "text/plain"),
                    ("Content-Length", (body?.Length ?? 0).ToString(), "7"),
                    ("Host", "127.0.0.1", "example.com"),
                    ("Transfer-Encoding", "chunked", "chunked"));
                if (name == "Authorization") headers.RemoveAll(h => h.Item1 == "Authorization");
                headers.Add((name, first));
                headers.Add((name, second));
                if (name is not ("Content-Type" or "Content-Length")) headers.Add(("Content-Type", contentType));
                raw = RawHttp.Request(method, target, headers, body, announceLength: name != "Content-Length");
                break;
            case "odd-path-id":
                break;
            case "wrong-method":
                var allowed = routes.Where(r => r.Pattern == route.Pattern).Select(r => r.Method).ToHashSet();
                method = Pick(random, "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO", "CONNECTX");
                if (allowed.Contains(method)) method = "DELETE";
                if (allowed.Contains(method)) method = "FOO";
                break;
            case "bad-query":
                target += Pick(random, "?dry_run=maybe", "?dry_run=true&dry_run=false", "?dry_run=%00", "?dry_run", "?%ZZ=1", "?a=%FF%FE",
                    "?limit=-1", "?limit=99999999999999999999", "?after=abc", "?from=yesterday", "?label=%01", "?" + new string('q', 6000) + "=1",
                    "?status=%E2%80%AE", "?platform_parent_account_id=%00", "?dry_run=TRUE", "?&&&=&=");
                break;
            case "raw-garbage":
                (raw, version, endSending) = Garbage(route, target, ids, random);
                break;
        }
        if (mutating && !route.ReadsBody && !route.Pattern.Contains('{') && raw is null && body is not { Length: > 0 })
        {
            body = Encoding.UTF8.GetBytes("{\"unexpected\":true}");
        }
        if (cls is not ("bad-header" or "repeated-header" or "oversized" or "raw-garbage") && body is not null && contentType.Length > 0)
        {
            headers.Add(("Content-Type", contentType));
        }
        if (route.Write && cls is not ("bad-header" or "repeated-header") && random.Next(2) == 0) headers.Add(("Idempotency-Key", Guid.NewGuid().ToString()));
        return new Case(number, cls, route, method, target, headers, method is "GET" or "HEAD" or "TRACE" && raw is null ? null : body, raw, version, endSending);
    }

    private static void Auth(Route route, Ids ids, List<(string, string)> headers)
    {
        if (route.Surface == "Partner") headers.Add(("Authorization", "Bearer " + ids.Token));
        else if (route.Surface == "Admin") headers.Add(("Authorization", "Bearer " + ids.AdminKey));
    }

    private static string Target(Route route, Ids ids, Random random, bool real)
    {
        var path = route.Pattern;
        foreach (var p in route.Parameters)
        {
            var value = real && random.Next(4) != 0
                ? p switch
                {
                    "account_id" => random.Next(5) == 0 ? ids.ForeignAccount : ids.Account,
                    "layout_id" => ids.Layout,
                    "platform_id" => ids.Platform,
                    "credential_id" => ids.Credential,
                    "operation_id" => ids.Operation,
                    _ => OddIds[random.Next(OddIds.Length)],
                }
                : OddIds[random.Next(OddIds.Length)];
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + p + "(:[^}]*)?\\}", value.Replace("$", "$$"));
        }
        return path;
    }

    /// <summary>A body shaped like the route's own, made invalid for every parser by one field no parser knows.</summary>
    private static Dictionary<string, object?> Template(Route route, Random random)
    {
        Dictionary<string, object?> body = route.Pattern switch
        {
            "/v1/accounts/register/partnership" => Http.Registration("platform"),
            var p when p.EndsWith("/marketplacecontrolslists") => new()
            {
                ["name"] = "Acme", ["blockedVerticals"] = new object[] { new Dictionary<string, object?> { ["partnerVerticalId"] = 1500, ["partnerSubVerticalId"] = 1610, ["policy"] = "Block" } },
                ["domains"] = new object[] { new Dictionary<string, object?> { ["domain"] = "competitor.example.com", ["policy"] = "Block" } },
            },
            var p when p.EndsWith("/status") => new() { ["status"] = "paused" },
            var p when p.EndsWith("/pages") => new() { ["pages"] = new object[] { new Dictionary<string, object?> { ["surface"] = "returns", ["layout_type"] = "Embedded" } } },
            var p when p.Contains("/layouts/") => new() { ["primaryColor"] = "#FF0000", ["borderRadius"] = 12 },
            var p when p.EndsWith("/payout-setup") => new() { ["return_url"] = "https://shop.example.com/r", ["refresh_url"] = "https://shop.example.com/f" },
            var p when p.EndsWith("/webhook") => new() { ["url"] = "https://hooks.example.com/x" },
            var p when p.EndsWith("vertical-mappings") => new() { ["partnerVerticalId"] = 10, ["partnerSubVerticalId"] = 11, ["networkSubVerticalId"] = 1003 },
            _ => new() { ["name"] = "fuzz" },
        };
        body["zz_unknown_" + random.Next(1000)] = true;
        return body;
    }

    private static byte[] Invalid(Route route, Random random) => route.Surface == "OAuth"
        ? BadForm(random)
        : route.Bulk && route.Method == "PUT" ? Encoding.UTF8.GetBytes("not\ta\ttaxonomy\n" + random.Next()) : JsonSerializer.SerializeToUtf8Bytes(Template(route, random));

    private static byte[] Malformed(Route route, Random random)
    {
        var valid = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Template(route, random)));
        return Encoding.UTF8.GetBytes(random.Next(12) switch
        {
            0 => valid[..random.Next(1, valid.Length - 1)],
            1 => valid.Remove(random.Next(valid.Length), 1),
            2 => valid.Insert(random.Next(valid.Length), Pick(random, "{", "}", "[", "]", ",", ":", "\"", "\\", "'", "\u0000", "\n")),
            3 => valid + Pick(random, " x", "{}", "[]", ",", "\u0000", " null", "\"\""),
            4 => "",
            5 => Pick(random, " ", "\r\n\t ", "\uFEFF", "null", "0", "\"\"", "[]", "true"),
            6 => valid.Replace('"', '\''),
            7 => "{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}",
            8 => "/* c */" + valid + "// x",
            9 => valid.Replace("}", ",}"),
            10 => "\uFEFF\uFEFF" + valid,
            _ => "{\"a\": 01, \"b\": 1., \"c\": .5, \"d\": +1, \"e\": 0x10, \"f\": \"\\x41\", \"g\": \"\\u12\", \"h\": \"tab\there\"}",
        });
    }

    private static byte[] InvalidUtf8(Route route, Random random)
    {
        var valid = JsonSerializer.SerializeToUtf8Bytes(Template(route, random));
        byte[][] bad = [[0x80], [0xC0, 0xAF], [0xC3], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE, 0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98]];
        var quote = Array.IndexOf(valid, (byte)'"', random.Next(valid.Length / 2));
        var at = quote < 0 ? 1 : quote + 1;
        return [.. valid[..at], .. bad[random.Next(bad.Length)], .. valid[at..]];
    }

    private static byte[] Surrogate(Route route, Random random)
    {
        var valid = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Template(route, random)));
        var escape = Pick(random, "\\ud800", "\\udfff", "\\udc00\\ud800", "\\ud83d", "x\\ud800y", "\\ud800\\u0041");
        return Encoding.UTF8.GetBytes(random.Next(2) == 0
            ? valid.Insert(valid.IndexOf(":\"", StringComparison.Ordinal) is var i and >= 0 ? i + 2 : 1, escape)
            : valid.Insert(1, $"\"{escape}\":1,"));
    }

    private static byte[] Duplicate(Route route, Random random)
    {
        var valid = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(Template(route, random)));
        return Encoding.UTF8.GetBytes(random.Next(4) switch
        {
            0 => valid.Insert(1, "\"name\":\"a\",\"name\":\"b\","),
            1 => valid.Replace("\"policy\":\"Block\"", "\"policy\":\"Block\",\"policy\":\"Allow\"").Replace("\"surface\":\"returns\"", "\"surface\":\"returns\",\"surface\":\"tracking\""),
            2 => valid.Insert(1, "\"a\":1,\"\\u0061\":2,"),
            _ => valid.Insert(1, "\"x\":{\"y\":[{\"z\":1,\"z\":2}]},"),
        });
    }

    private static byte[] Deep(Random random)
    {
        var depth = Pick(random, 33, 64, 65, 200, 1000, 100_000);
        return Encoding.ASCII.GetBytes(random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
    }

    private static byte[] WrongValue(Route route, Random random)
    {
        var body = Template(route, random);
        var key = body.Keys.ElementAt(random.Next(body.Count));
        body[key] = random.Next(12) switch
        {
            0 => null,
            1 => 123,
            2 => "string",
            3 => new object[] { 1, "a", null! },
            4 => new Dictionary<string, object?> { ["nested"] = true },
            5 => JsonDocument.Parse("1" + new string('0', 400)).RootElement,
            6 => JsonDocument.Parse("-1e400").RootElement,
            7 => new string('x', random.Next(1000, 200_000)),
            8 => "ctl\u0000\u0001\u001f\u007f\r\nX-Injected: 1",
            9 => JsonDocument.Parse("9223372036854775808").RootElement,
            10 => Enumerable.Range(0, random.Next(1000, 30_000)).Select(i => new Dictionary<string, object?> { ["domain"] = $"d{i}.example.com", ["policy"] = "Block" }).ToArray(),
            _ => "\u202Eevil\uFEFF\u200B",
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    private static byte[] BadForm(Random random) => Encoding.Latin1.GetBytes(random.Next(12) switch
    {
        0 => "grant_type=client_credentials&client_id=%ZZ&client_secret=x",
        1 => "grant_type=client_credentials&client_id=%&client_secret=x",
        2 => "grant_type=client_credentials&client_id=%FF%FE&client_secret=x",
        3 => "grant_type=client_credentials&client_id=" + new string('a', 5000) + "&client_secret=x",
        4 => "grant_type=client_credentials&client_id=a%00b&client_secret=x",
        5 => string.Join("&", Enumerable.Range(0, 100).Select(i => $"p{i}=v")),
        6 => "=&=&=",
        7 => "grant_type=password&username=a&password=b",
        8 => "grant_type=&client_id=a&client_secret=b",
        9 => "grant_type=client_credentials&client_id=\u00ff&client_secret=x",
        10 => "{\"grant_type\":\"client_credentials\"}",
        _ => "grant_type=client_credentials&client_id=a&client_secret=%E2%82",
    });

    private static byte[] Oversized(Route route, string target, List<(string, string)> headers, string contentType, Random random)
    {
        var announced = route.Bulk ? 16L * 1024 * 1024 + 1 + random.Next(1000) : Pick(random, 1024L * 1024 + 1, 2_000_000L, 1L << 40);
        if (route.Surface == "OAuth") announced = Math.Max(announced, 16 * 1024 + 1);
        var head = RawHttp.Request(route.Method, target, [.. headers, ("Content-Type", contentType), ("Content-Length", announced.ToString())], null);
        // Only the start is sent: an over-limit Content-Length must be refused before the body is read.
        return [.. head, .. Encoding.ASCII.GetBytes("{\"a\":\"" + new string('x', random.Next(10, 60_000)))];
    }

    private static (byte[] Raw, bool Version, bool EndSending) Garbage(Route route, string target, Ids ids, Random random)
    {
        switch (random.Next(14))
        {
            case 0:
                var bytes = new byte[random.Next(1, 2000)];
                random.NextBytes(bytes);
                // The blank line ends whatever the bytes began, so the server judges it instead of waiting for more.
                return ([.. bytes, .. "\r\n\r\n"u8], false, false);
            case 1: return (Encoding.ASCII.GetBytes($"{route.Method} {target} HTTP/{Pick(random, "1.2", "2.0", "0.9", "9.9", "1.10")}\r\nHost: x\r\nConnection: close\r\n\r\n"), true, false);
            case 2: return (Encoding.ASCII.GetBytes($"{route.Method}  {target}  HTTP/1.1\r\nHost: x\r\n\r\n"), false, false);
            case 3: return (Encoding.ASCII.GetBytes($"{route.Method} {target}" + new string('a', 10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), false, false);
            case 4: return (Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nX-Big: {new string('b', 40_000)}\r\n\r\n"), false, false);
            case 5: return (Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"), false, false);
            case 6: return ([.. Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\nX-N: a"), 0, .. Encoding.ASCII.GetBytes("b\r\n\r\n")], false, false);
            case 7: return (Encoding.ASCII.GetBytes($"{route.Method} http://evil.example{target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), false, false);
            case 8:
                // A chunked body whose framing breaks half-way: read by the app, so the app must answer the envelope.
                return (Encoding.ASCII.GetBytes($"{route.Method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {ids.AdminKey}\r\n" +
                    "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\nZZ\r\nnot-hex\r\n0\r\n\r\n"), false, false);
            case 9:
                // Content-Length promises more than is sent before the client stops sending.
                return (Encoding.ASCII.GetBytes($"{route.Method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{{\"a\":"), false, true);
            case 10: return (Encoding.ASCII.GetBytes($"{route.Method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), false, false);
            case 11: return (Encoding.ASCII.GetBytes($"{route.Method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), false, false);
            case 12: return (Encoding.ASCII.GetBytes("GET\r\n\r\n"), false, false);
            default: return (Encoding.Latin1.GetBytes($"{route.Method} {target}\u00ff\u0001 HTTP/1.1\r\nHost: x\r\n\r\n"), false, false);
        }
    }

    private static T Pick<T>(Random random, params T[] options) => options[random.Next(options.Length)];

    // ---------------------------------------------------------------- sending and judging

    private async Task<string> RunAsync(HttpClient client, Case c)
    {
        if (c.Raw is not null)
        {
            var reply = await RawHttp.SendAsync(_server.BaseAddress, c.Raw, TimeSpan.FromSeconds(15), c.EndSending);
            if (reply is null)
            {
                // Kestrel may drop a connection that never formed a request; nothing reached the application.
                return c.EndSending ? "ok dropped" : "no answer";
            }
            return Judge(c, reply.Status, reply.Header("X-Request-Id"), reply.Header("Content-Type"), reply.Body);
        }
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Target);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
        }
        foreach (var (name, value) in c.Headers)
        {
            if (name == "Content-Type")
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var v) ? v.First() : null;
        return Judge(c, (int)response.StatusCode, requestId, response.Content.Headers.ContentType?.ToString(), body);
    }

    /// <summary>"ok &lt;status&gt; &lt;who answered&gt;", or what is wrong.</summary>
    private static string Judge(Case c, int status, string? requestId, string? contentType, byte[] body)
    {
        if (requestId is null)
        {
            // Kestrel itself refused the request before the application saw it (see docs/api.md, "Refused by the server").
            if (status >= 500 && !(status == 505 && c.KestrelVersion)) return $"{status} from the server itself";
            return $"ok {status} server";
        }
        if (status >= 500) return $"{status}: {Shorten(Encoding.UTF8.GetString(body))}";
        if (c.Method == "HEAD") return $"ok {status} app";
        // A successful export answers NDJSON: every line one JSON document (its errors are still the envelope).
        if (status < 300 && contentType?.StartsWith("application/x-ndjson", StringComparison.Ordinal) == true)
        {
            foreach (var line in Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                try { using var _ = JsonDocument.Parse(line); }
                catch (JsonException) { return $"{status} an NDJSON line that is not JSON: {Shorten(line)}"; }
            }
            return $"ok {status} app";
        }
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return $"{status} not JSON ({contentType}): {Shorten(Encoding.UTF8.GetString(body))}";
        }
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("access_token", out _)) return $"{status}: a generated-invalid token request got a token";
        // The token endpoint speaks RFC 6749 §5.2; what the host refuses before it (a control character in the query) is the envelope.
        if (c.Route.Surface == "OAuth" && c.Method == "POST" && json.ValueKind == JsonValueKind.Object && !json.TryGetProperty("request_id", out _))
        {
            return status is 400 or 401 && json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String && json.TryGetProperty("error_description", out _)
                ? $"ok {status} oauth" : $"{status} not an RFC 6749 error: {Shorten(json.ToString())}";
        }
        var envelope = json.ValueKind == JsonValueKind.Object
            && json.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == status
            && json.TryGetProperty("request_id", out var r) && r.GetString() == requestId
            && json.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            && json.TryGetProperty("data", out var d)
            && (status < 400
                ? true
                : d.ValueKind == JsonValueKind.Null && json.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.String
                  && json.TryGetProperty("details", out var det) && det.ValueKind == JsonValueKind.Array);
        if (!envelope) return $"{status} not the envelope: {Shorten(json.ToString())}";
        if (status < 400 && c.Method != "GET") return $"{status}: a generated-invalid {c.Method} was accepted: {Shorten(json.ToString())}";
        return $"ok {status} app";
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private static string Report(ConcurrentDictionary<string, ConcurrentDictionary<string, int>> stats, ConcurrentDictionary<string, double> times, TimeSpan elapsed, int routes)
    {
        var text = new StringBuilder();
        var total = stats.Values.Sum(s => s.Values.Sum());
        var fivexx = stats.Values.Sum(s => s.Where(kv => kv.Key.StartsWith('5') && !kv.Key.StartsWith("505 server", StringComparison.Ordinal) || kv.Key == "FAIL").Sum(kv => kv.Value));
        text.AppendLine($"bad-input fuzz: {total} requests over {routes} routes in {elapsed.TotalSeconds:0.0} s (seed {Seed}); 5xx from the application = {fivexx}");
        foreach (var (cls, counts) in stats.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  {cls,-16} {counts.Values.Sum(),6} ({times.GetValueOrDefault(cls) / counts.Values.Sum(),6:0.0} ms each)  " + string.Join(", ", counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}: {kv.Value}")));
        }
        return text.ToString();
    }
}

public sealed class SqliteBadInputFuzzTests(ITestOutputHelper output) : BadInputFuzzTests(StoreKind.Sqlite, output);
public sealed class PostgresBadInputFuzzTests(ITestOutputHelper output) : BadInputFuzzTests(StoreKind.Postgres, output);
