using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Strict reading of bodies and headers, bounded rejections: each bad case is a 4xx naming where, records its failed
/// operation and audit entry when it is a real write, and changes nothing else in the store.
/// </summary>
public abstract class StrictInputTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _server = null!;
    private HttpClient _client = null!;

    // A small default body limit and row limit, so that the bulk routes' own larger limits are visible without megabytes.
    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Outbox:Dispatcher"] = "false", ["Http:MaxRequestBodyBytes"] = "65536", ["Http:MaxBulkBodyBytes"] = "262144", ["Http:MaxBulkRows"] = "3000",
        });
        _client = await _server.DemoClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private string Platform => _server.DemoOne.PlatformParentAccountId;

    private async Task<Reply> SendRawJsonAsync(HttpClient client, HttpMethod method, string path, byte[] body, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await Http.ReadAsync(await client.SendAsync(request));
    }

    private static string Issues(Reply reply) => string.Join(" | ", reply.Json.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString() + ": " + d.GetProperty("issue").GetString()));

    /// <summary>Runs a rejected write and proves it: the status, one failed operation and one rejected audit entry more, nothing else changed.</summary>
    private async Task<Reply> RejectedWriteAsync(Func<Task<Reply>> send, int status)
    {
        var before = await StoreSnapshot.TakeAsync(_server.Database);
        var failed = await StoreSnapshot.CountAsync(_server.Database, "operations", "status = 'failed'");
        var rejected = await StoreSnapshot.CountAsync(_server.Database, "audit_log", "outcome = 'rejected'");
        var reply = await send();
        Assert.True(reply.Status == status, reply.ToString());
        Assert.Equal(reply.Status, reply.Json.GetProperty("status").GetInt32());
        Assert.Equal(JsonValueKind.Null, reply.Json.GetProperty("data").ValueKind);
        Assert.NotNull(reply.Header("X-Operation-Id"));
        Assert.Equal(failed + 1, await StoreSnapshot.CountAsync(_server.Database, "operations", "status = 'failed'"));
        Assert.Equal(rejected + 1, await StoreSnapshot.CountAsync(_server.Database, "audit_log", "outcome = 'rejected'"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database));
        return reply;
    }

    private byte[] RegistrationJson(Func<string, string>? edit = null)
    {
        var json = JsonSerializer.Serialize(Http.Registration(Platform));
        return Encoding.UTF8.GetBytes(edit is null ? json : edit(json));
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_write_body_is_a_400_naming_the_byte_offset_with_its_failed_operation_and_audit_entry()
    {
        var body = RegistrationJson();
        var at = Array.IndexOf(body, (byte)'A'); // inside "Acme Outdoor"
        body[at] = 0xC3; // a lead byte followed by ASCII: not UTF-8
        var reply = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Post, "/v1/accounts/register/partnership", body), 400);
        Assert.Contains($"byte offset {at}", Issues(reply));
        Assert.Equal("BadRequest", reply.Error);
    }

    [Fact]
    public async Task A_lone_surrogate_escape_in_a_string_or_a_property_name_is_a_400_naming_its_path()
    {
        var inValue = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Post, "/v1/accounts/register/partnership",
            RegistrationJson(j => j.Replace("\"Acme Outdoor\"", "\"Acme \\ud800 Outdoor\""))), 400);
        Assert.Equal(["brand"], inValue.DetailFields);
        Assert.Contains("surrogate", Issues(inValue));

        var account = await _client.RegisterAsync(Platform);
        var inName = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Put, $"/v1/partnership/accounts/{account}/marketplacecontrolslists",
            Encoding.UTF8.GetBytes("{\"name\":\"x\",\"blockedVerticals\":[{\"partnerVerticalId\":1500,\"\\udc00\":1}],\"domains\":[]}"), Http.NewKey()), 400);
        Assert.Contains("surrogate", Issues(inName));
        Assert.StartsWith("blockedVerticals[0]", inName.DetailFields.Single());
    }

    [Fact]
    public async Task A_duplicate_property_name_at_any_depth_is_a_400_naming_its_path()
    {
        var account = await _client.RegisterAsync(Platform);
        var body = "{\"name\":\"x\",\"blockedVerticals\":[{\"partnerVerticalId\":1500,\"partnerSubVerticalId\":1610,\"policy\":\"Block\",\"policy\":\"Allow\"}],\"domains\":[]}";
        var reply = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Put, $"/v1/partnership/accounts/{account}/marketplacecontrolslists",
            Encoding.UTF8.GetBytes(body), Http.NewKey()), 400);
        Assert.Equal(["blockedVerticals[0].policy"], reply.DetailFields);

        // The same name spelt with an escape is the same name.
        var escaped = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Put, $"/v1/partnership/accounts/{account}/status",
            Encoding.UTF8.GetBytes("{\"status\":\"paused\",\"\\u0073tatus\":\"active\"}"), Http.NewKey()), 400);
        Assert.Equal(["status"], escaped.DetailFields);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("{\"brand\":\"Acme\"", "line 1")]
    [InlineData("{\"brand\":\"Acme\"} {}", "line 1")]
    [InlineData("{\"brand\":'Acme'}", "line 1")]
    [InlineData("{\"brand\":\"Acme\",}", "line 1")]
    public async Task Truncated_garbled_trailing_or_empty_JSON_is_a_400_saying_where(string body, string expected)
    {
        var reply = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Post, "/v1/accounts/register/partnership", Encoding.UTF8.GetBytes(body)), 400);
        Assert.Contains(expected, Issues(reply));
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_a_400_naming_the_path()
    {
        var deep = "{\"brand\":" + new string('[', 40) + new string(']', 40) + "}";
        var reply = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Post, "/v1/accounts/register/partnership", Encoding.UTF8.GetBytes(deep)), 400);
        Assert.StartsWith("brand[0]", reply.DetailFields.Single());
        Assert.Contains("nested deeper than 32", Issues(reply));
    }

    [Fact]
    public async Task Admin_bodies_and_mapping_loads_go_through_the_same_strict_reader()
    {
        using var admin = _server.AdminClient();
        var before = await StoreSnapshot.TakeAsync(_server.Database);
        var platform = await SendRawJsonAsync(admin, HttpMethod.Post, "/admin/v1/platforms", [.. "{\"name\":\"a"u8, 0xFF, .. "\"}"u8]);
        Assert.Equal(400, platform.Status);
        Assert.Contains("byte offset 10", Issues(platform));
        var duplicate = await SendRawJsonAsync(admin, HttpMethod.Post, "/admin/v1/platforms", "{\"name\":\"a\",\"name\":\"b\"}"u8.ToArray());
        Assert.Equal(["name"], duplicate.DetailFields);
        var mapping = await SendRawJsonAsync(admin, HttpMethod.Post, $"/v1/partnership/vertical-mappings?platform_parent_account_id={Platform}",
            "[{\"partnerVerticalId\":7,\"partnerSubVerticalId\":8,\"partnerSubVerticalName\":\"\\ud800\",\"networkSubVerticalId\":1003}]"u8.ToArray());
        Assert.Equal(["[0].partnerSubVerticalName"], mapping.DetailFields);
        var csv = await admin.PostAsync($"/v1/partnership/vertical-mappings?platform_parent_account_id={Platform}",
            new ByteArrayContent([.. "partner_vertical_id,partner_sub_vertical_id,network_sub_vertical_id\n7,8,1003\n7,9,"u8, 0xC0, 0x80, .. "\n"u8])
            { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } });
        var csvReply = await Http.ReadAsync(csv);
        Assert.Equal(400, csvReply.Status);
        Assert.Contains("invalid UTF-8", Issues(csvReply));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database));
    }

    [Fact]
    public async Task An_over_limit_Content_Length_is_a_413_before_the_body_is_read_and_is_recorded_like_any_rejection()
    {
        var before = await StoreSnapshot.TakeAsync(_server.Database);
        var failed = await StoreSnapshot.CountAsync(_server.Database, "operations", "status = 'failed'");
        var token = _client.DefaultRequestHeaders.Authorization!.Parameter!;
        // Announces 10 MB and sends 20 bytes: the answer comes without the rest ever being sent.
        var reply = await RawHttp.SendAsync(_server.BaseAddress, RawHttp.Request("POST", "/v1/accounts/register/partnership",
            [("Authorization", "Bearer " + token), ("Content-Type", "application/json"), ("Content-Length", "10000000")], "{\"brand\":\"xxxxxxxxx\""u8.ToArray(), announceLength: false),
            TimeSpan.FromSeconds(10));
        Assert.NotNull(reply);
        Assert.Equal(413, reply.Status);
        using var json = JsonDocument.Parse(reply.Body);
        Assert.Equal("PayloadTooLarge", json.RootElement.GetProperty("error").GetString());
        Assert.Contains("65536", json.RootElement.GetProperty("message").GetString());
        Assert.Equal(failed + 1, await StoreSnapshot.CountAsync(_server.Database, "operations", "status = 'failed'"));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database));

        // Without a Content-Length (chunked), reading stops at the limit.
        var chunked = await RejectedWriteAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts/register/partnership")
            {
                Content = new StreamContent(new MemoryStream(RegistrationJson(j => j.Replace("\"Acme Outdoor\"", "\"" + new string('a', 100_000) + "\"")))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
            return await Http.ReadAsync(await _client.SendAsync(request));
        }, 413);
        Assert.Equal("PayloadTooLarge", chunked.Error);
    }

    [Fact]
    public async Task Bulk_loads_have_their_own_larger_body_limit_and_a_row_limit_and_stay_atomic()
    {
        using var admin = _server.AdminClient();
        var platform = (await admin.PostJsonAsync("/admin/v1/platforms", new { name = "bulk-" + Guid.NewGuid().ToString("N") })).Data
            .GetProperty("platform_parent_account_id").GetString()!;
        string Csv(int rows) => "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n" +
            string.Concat(Enumerable.Range(1, rows).Select(i => $"{i},{i + 1},Vertical number {i} with a long descriptive name,Sub-vertical {i},1003\n"));
        async Task<Reply> LoadAsync(string csv) => await Http.ReadAsync(await admin.PostAsync($"/v1/partnership/vertical-mappings?platform_parent_account_id={platform}",
            new StringContent(csv, Encoding.UTF8, "text/csv")));

        // Above the 64 KiB default limit, within the bulk limit: loaded whole.
        var big = Csv(1500);
        Assert.True(Encoding.UTF8.GetByteCount(big) > 65536);
        var loaded = await LoadAsync(big);
        Assert.True(loaded.Status == 200, loaded.ToString());
        Assert.Equal(1500, loaded.Data.GetProperty("loaded").GetInt32());

        var before = await StoreSnapshot.TakeAsync(_server.Database);
        var tooMany = await LoadAsync(string.Concat(Csv(3001).Split('\n').Select(l => l.Replace("Vertical number", "V").Replace(" with a long descriptive name", "") + "\n")).TrimEnd('\n'));
        Assert.True(tooMany.Status == 400, tooMany.ToString());
        Assert.Contains("at most 3000", tooMany.Json.GetProperty("message").GetString());
        var tooLarge = await LoadAsync(Csv(4000));
        Assert.Equal(413, tooLarge.Status);
        Assert.Equal("PayloadTooLarge", tooLarge.Error);
        var taxonomy = await Http.ReadAsync(await admin.PutAsync("/admin/v1/network-taxonomy", new ByteArrayContent(new byte[300_000])));
        Assert.Equal(413, taxonomy.Status);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database));

        // A partner write of the same size is over the default limit.
        var write = await RejectedWriteAsync(() => SendRawJsonAsync(_client, HttpMethod.Post, "/v1/accounts/register/partnership",
            RegistrationJson(j => j.Replace("\"Acme Outdoor\"", "\"" + new string('a', 70_000) + "\""))), 413);
        Assert.Equal("PayloadTooLarge", write.Error);
    }

    [Fact]
    public async Task Arrays_longer_than_their_bound_are_one_400_naming_the_field_and_its_limit()
    {
        var account = await _client.RegisterAsync(Platform);
        var mappings = await StoreSnapshot.CountAsync(_server.Database, "vertical_mappings", "platform_id = @p", new { p = Platform });
        var path = $"/v1/partnership/accounts/{account}/marketplacecontrolslists";

        var verticals = await RejectedWriteAsync(() => _client.PutJsonAsync(path, new
        {
            name = "x", domains = Array.Empty<object>(),
            blockedVerticals = Enumerable.Range(0, (int)mappings + 1).Select(i => new { partnerVerticalId = 1500, partnerSubVerticalId = 1610, policy = "Block" }),
        }, Http.NewKey()), 400);
        Assert.Equal(["blockedVerticals"], verticals.DetailFields);
        Assert.Contains($"at most {mappings} items", Issues(verticals));

        var domains = await RejectedWriteAsync(() => _client.PutJsonAsync(path, new
        {
            name = "x", blockedVerticals = Array.Empty<object>(),
            domains = Enumerable.Range(0, 1001).Select(i => new { domain = $"d{i}.example.com", policy = "Block" }),
        }, Http.NewKey()), 400);
        Assert.Equal(["domains"], domains.DetailFields);
        Assert.Contains("at most 1000 items", Issues(domains));

        var pages = await RejectedWriteAsync(() => _client.PostJsonAsync($"/v1/partnership/accounts/{account}/pages", new
        {
            pages = new[] { "returns", "tracking", "confirmation", "returns" }.Select(s => new { surface = s, layout_type = "Embedded" }),
        }, Http.NewKey()), 400);
        Assert.Equal(["pages"], pages.DetailFields);
        Assert.Contains("at most 3 items (one per surface)", Issues(pages));
    }

    [Fact]
    public async Task A_hostile_one_megabyte_PUT_gets_an_answer_under_32_KB_and_adds_under_32_KB_to_the_store()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
        using var client = await server.DemoClientAsync();
        var account = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        // 1,500 unknown properties with 400-character names, and 1,000 domains of 300 characters: thousands of issues echoing input.
        var body = new StringBuilder("{\"name\":\"x\",\"blockedVerticals\":[],\"domains\":[");
        body.AppendJoin(',', Enumerable.Range(0, 1000).Select(i => $"{{\"domain\":\"{i}{new string('d', 300)}.example.com\",\"policy\":\"Block\"}}"));
        body.Append(']');
        for (var i = 0; i < 1500; i++) body.Append($",\"{i}{new string('u', 400)}\":1");
        body.Append('}');
        var bytes = Encoding.UTF8.GetBytes(body.ToString());
        Assert.InRange(bytes.Length, 900_000, 1_048_576);

        var before = (await StoreSnapshot.TakeAllExceptAsync(server.Database)).Length;
        var reply = await SendRawJsonAsync(client, HttpMethod.Put, $"/v1/partnership/accounts/{account}/marketplacecontrolslists", bytes, Http.NewKey());
        var added = (await StoreSnapshot.TakeAllExceptAsync(server.Database)).Length - before;

        Assert.Equal(400, reply.Status);
        Assert.True(reply.Body.Length < 32 * 1024, $"answer of {reply.Body.Length} bytes");
        Assert.True(added < 32 * 1024, $"{added} bytes added to the store");
        Assert.Equal(50, reply.Json.GetProperty("details").GetArrayLength());
        Assert.Matches(@" \(and \d+ more issues; details lists the first 50\)$", reply.Json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Two_Idempotency_Key_lines_or_two_platform_header_lines_are_a_400_naming_the_header()
    {
        var token = _client.DefaultRequestHeaders.Authorization!.Parameter!;
        var body = RegistrationJson();
        var before = await StoreSnapshot.TakeAsync(_server.Database);
        var failed = await StoreSnapshot.CountAsync(_server.Database, "operations", "status = 'failed'");
        var keys = await RawHttp.SendAsync(_server.BaseAddress, RawHttp.Request("POST", "/v1/accounts/register/partnership",
            [("Authorization", "Bearer " + token), ("Content-Type", "application/json"), ("Idempotency-Key", Http.NewKey()), ("Idempotency-Key", Http.NewKey())], body));
        Assert.Equal(400, keys!.Status);
        Assert.Contains("\"field\":\"Idempotency-Key\"", keys.Text);
        Assert.Equal(failed + 1, await StoreSnapshot.CountAsync(_server.Database, "operations", "status = 'failed'"));

        var platforms = await RawHttp.SendAsync(_server.BaseAddress, RawHttp.Request("POST", "/v1/accounts/register/partnership",
            [("Authorization", "Bearer " + token), ("Content-Type", "application/json"), ("X-Platform-Parent-Account-Id", Platform), ("X-Platform-Parent-Account-Id", Platform)], body));
        Assert.Equal(400, platforms!.Status);
        Assert.Contains("\"field\":\"X-Platform-Parent-Account-Id\"", platforms.Text);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database));
    }

    [Fact]
    public async Task Several_If_Match_lines_merge_into_one_list()
    {
        var token = _client.DefaultRequestHeaders.Authorization!.Parameter!;
        var account = await _client.RegisterAsync(Platform);
        var path = $"/v1/partnership/accounts/{account}/marketplacecontrolslists";
        var etag = (await _client.GetJsonAsync(path)).Header("ETag")!;
        var body = JsonSerializer.SerializeToUtf8Bytes(new { name = "Merged", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>() });
        (string, string)[] Headers(params string[] ifMatch) =>
            [("Authorization", "Bearer " + token), ("Content-Type", "application/json"), ("Idempotency-Key", Http.NewKey()), .. ifMatch.Select(v => ("If-Match", v))];

        var neither = await RawHttp.SendAsync(_server.BaseAddress, RawHttp.Request("PUT", path, Headers("\"nope\"", "\"other\""), body));
        Assert.Equal(412, neither!.Status);
        var second = await RawHttp.SendAsync(_server.BaseAddress, RawHttp.Request("PUT", path, Headers("\"nope\"", etag), body));
        Assert.True(second!.Status == 200, second.ToString());
    }

    [Fact]
    public async Task A_control_character_in_the_path_or_the_query_is_a_400_and_nothing_is_looked_up()
    {
        var before = await StoreSnapshot.TakeAsync(_server.Database);
        // A decoded NUL the server itself refuses; any other control character the application does, in the envelope.
        Assert.Equal(400, (await _client.GetJsonAsync("/v1/partnership/accounts/a%00b")).Status);
        var path = await _client.GetJsonAsync("/v1/partnership/accounts/a%01b");
        Assert.Equal(400, path.Status);
        Assert.Equal(["path"], path.DetailFields);
        using var admin = _server.AdminClient();
        var query = await admin.PostJsonAsync($"/admin/v1/platforms/{Platform}/credentials?label=a%00b", null);
        Assert.Equal(400, query.Status);
        Assert.Equal(["label"], query.DetailFields);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(_server.Database));
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nclient_credentials\r\n--b--\r\n", "x-www-form-urlencoded")]
    [InlineData(null, "grant_type=client_credentials&client_id={id}&client_id={id}&client_secret={secret}", "client_id is sent more than once")]
    [InlineData(null, "grant_type=client_credentials&grant_type=client_credentials&client_id={id}&client_secret={secret}", "grant_type is sent more than once")]
    [InlineData(null, "grant_type=client_credentials&scope=a&scope=b&client_id={id}&client_secret={secret}", "scope is sent more than once")]
    [InlineData(null, "grant_type=client_credentials&client_id={id}&client_secret={secret}&client_secret={secret}", "client_secret is sent more than once")]
    [InlineData(null, "grant_type=client_credentials&client_id=%ZZ&client_secret={secret}", "client_id is not valid percent-encoded UTF-8")]
    [InlineData(null, "grant_type=client_credentials&client_id=%FF&client_secret={secret}", "client_id is not valid percent-encoded UTF-8")]
    [InlineData(null, "grant_type=client_credentials&client_id=a%00&client_secret={secret}", "control character")]
    [InlineData(null, "grant_type=client_credentials&client_id={long}&client_secret={secret}", "longer than 1024")]
    [InlineData(null, "grant_type=client_credentials&pad={huge}", "larger than this route's limit")]
    public async Task Malformed_repeated_or_wrongly_typed_token_parameters_are_invalid_request(string? contentType, string form, string expected)
    {
        var body = form.Replace("{id}", _server.DemoOne.ClientId).Replace("{secret}", _server.DemoOne.ClientSecret)
            .Replace("{long}", new string('a', 2000)).Replace("{huge}", new string('h', 20_000));
        using var client = _server.Client();
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType ?? "application/x-www-form-urlencoded");
        var reply = await Http.ReadAsync(await client.PostAsync("/api/v1/oauth/token", content));
        Assert.Equal(400, reply.Status);
        Assert.Equal("invalid_request", reply.Json.GetProperty("error").GetString());
        Assert.Contains(expected, reply.Json.GetProperty("error_description").GetString());
    }
}

public sealed class SqliteStrictInputTests() : StrictInputTests(StoreKind.Sqlite);
public sealed class PostgresStrictInputTests() : StrictInputTests(StoreKind.Postgres);
