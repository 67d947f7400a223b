using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Partnerships.Application.Features.PrivacyRequests;
using Partnerships.Delivery;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Real time plus an offset the tests move forward: retries come due as usual, and a retention window can pass at once.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>One server per store for the privacy suite: a pipeline receiver, every log line captured, a clock the tests move.</summary>
public abstract class PrivacyServerFixture(StoreKind kind) : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public WebhookReceiver Pipeline { get; private set; } = null!;
    public LogCapture Logs { get; } = new();
    public ShiftedClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        Pipeline = await WebhookReceiver.StartNewAsync();
        Pipeline.Secret = WebhookSignature.NewSecret();
        Server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Privacy:PipelineUrl"] = Pipeline.Url,
            ["Privacy:PipelineSecret"] = Pipeline.Secret,
            ["Privacy:PurgeIntervalSeconds"] = "0.1",
            ["Outbox:PollMilliseconds"] = "50",
            ["Outbox:BaseDelayMilliseconds"] = "100",
            ["Outbox:MaxDelaySeconds"] = "1",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:Console:LogLevel:Default"] = "Warning",
        }, Clock, configureServices: services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}

public sealed class SqlitePrivacyServerFixture() : PrivacyServerFixture(StoreKind.Sqlite);
public sealed class PostgresPrivacyServerFixture() : PrivacyServerFixture(StoreKind.Postgres);

/// <summary>
/// POST /v1/partnership/network-privacy-requests: the published 202 outside the envelope, strict input that changes nothing
/// when refused, delivery to the network's privacy pipeline through the outbox, and an identifier that is never anywhere in clear.
/// </summary>
public abstract class NetworkPrivacyRequestTests(PrivacyServerFixture fixture)
{
    private const string Route = "/v1/partnership/network-privacy-requests";
    private TestServer Server => fixture.Server;
    private string PlatformId => Server.DemoOne.PlatformParentAccountId;
    private string PathFor(string? platform) => platform is null ? Route : $"{Route}?parent_account_id={Uri.EscapeDataString(platform)}";

    private static string NewEmail() => $"Shopper.{Guid.NewGuid():N}@Example.com";
    private static string NewPhone() => "+1415" + Random.Shared.NextInt64(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Reply> SubmitAsync(HttpClient client, object body, string? platform = "") =>
        await client.PostJsonAsync(PathFor(platform == "" ? PlatformId : platform), body);

    [Fact]
    public async Task A_request_is_answered_202_outside_the_envelope_with_its_id_in_the_header_and_an_Idempotency_Key_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        var body = new { requestType = "NETWORK_OPT_OUT", email = NewEmail() };
        var key = Http.NewKey();
        var first = await client.PostJsonAsync(PathFor(PlatformId), body, key);
        var second = await client.PostJsonAsync(PathFor(PlatformId), body, key);

        Assert.Equal(202, first.Status);
        Assert.Equal(["requestId", "status"], first.Json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("submitted", first.Json.GetProperty("status").GetString());
        var requestId = first.Json.GetProperty("requestId").GetString()!;
        Assert.True(Guid.TryParse(requestId, out _));
        Assert.Equal(requestId, first.Header("X-Network-Privacy-Request-Id"));
        Assert.NotNull(first.Header("X-Request-Id"));
        Assert.Null(first.Header("X-Operation-Id"));
        // The key is ignored: each call is its own request, none is replayed.
        Assert.Equal(202, second.Status);
        Assert.NotEqual(requestId, second.Json.GetProperty("requestId").GetString());
        Assert.Null(second.Header("Idempotent-Replayed"));
    }

    /// <summary>What is sent wrong, the body, the query (a name for the cases below), the status and the field it names.</summary>
    private static TheoryData<string, string, string, int, string> BadInputs => new()
    {
        { "no identifier", """{"requestType":"NETWORK_OPT_OUT"}""", "", 400, "email" },
        { "two identifiers", """{"requestType":"NETWORK_OPT_OUT","email":"two@example.com","phoneNumber":"+14155550123"}""", "", 400, "phoneNumber" },
        { "a malformed e-mail", """{"requestType":"NETWORK_DATA_DELETION","email":"secret-person@@example.com"}""", "", 400, "email" },
        { "an e-mail with a display name", """{"requestType":"NETWORK_DATA_DELETION","email":"Secret Person <secret-person@example.com>"}""", "", 400, "email" },
        { "a phone number without +", """{"requestType":"NETWORK_OPT_OUT","phoneNumber":"14155550199"}""", "", 400, "phoneNumber" },
        { "a phone number starting with 0", """{"requestType":"NETWORK_OPT_OUT","phoneNumber":"+04155550199"}""", "", 400, "phoneNumber" },
        { "a phone number too long", """{"requestType":"NETWORK_OPT_OUT","phoneNumber":"+1415555019912345"}""", "", 400, "phoneNumber" },
        { "a phone number as a number", """{"requestType":"NETWORK_OPT_OUT","phoneNumber":14155550199}""", "", 400, "phoneNumber" },
        { "a hash that is not 64 hex digits", """{"requestType":"NETWORK_OPT_OUT","hashedEmail":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g"}""", "", 400, "hashedEmail" },
        { "an unknown requestType", """{"requestType":"NETWORK_FORGET_ME","email":"unknown-type@example.com"}""", "", 400, "requestType" },
        { "no requestType", """{"email":"no-type@example.com"}""", "", 400, "requestType" },
        { "an unknown field", """{"requestType":"NETWORK_OPT_OUT","emial":"typo@example.com"}""", "", 400, "emial" },
        { "a body that is not an object", """["typo@example.com"]""", "", 400, "" },
        { "no parent_account_id", """{"requestType":"NETWORK_OPT_OUT","email":"no-parent@example.com"}""", "none", 400, "parent_account_id" },
        { "an empty parent_account_id", """{"requestType":"NETWORK_OPT_OUT","email":"no-parent@example.com"}""", "?parent_account_id=", 400, "parent_account_id" },
        { "another platform's parent_account_id", """{"requestType":"NETWORK_OPT_OUT","email":"foreign@example.com"}""", "foreign", 403, "parent_account_id" },
        { "parent_account_id twice", """{"requestType":"NETWORK_OPT_OUT","email":"twice@example.com"}""", "twice", 400, "parent_account_id" },
        { "a dry-run", """{"requestType":"NETWORK_OPT_OUT","email":"rehearsal@example.com"}""", "dry_run", 400, "dry_run" },
        { "an identifier in the query", """{"requestType":"NETWORK_OPT_OUT","email":"in-query@example.com"}""", "query_email", 400, "email" },
    };

    [Fact]
    public async Task Each_bad_input_is_refused_naming_the_field_without_echoing_the_value_and_changes_nothing()
    {
        using var client = await Server.DemoClientAsync();
        await DeliveriesSettledAsync();
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var outboxBefore = await StoreSnapshot.CountAsync(Server.Database, "outbox_messages");
        var failures = new List<string>();
        foreach (var (what, body, query, status, field) in BadInputs.Select(row => ((string)row[0], (string)row[1], (string)row[2], (int)row[3], (string)row[4])))
        {
            var path = query switch
            {
                "" => PathFor(PlatformId),
                "none" => Route,
                "foreign" => PathFor(Server.DemoMcc.PlatformParentAccountId),
                "twice" => $"{Route}?parent_account_id={PlatformId}&parent_account_id={PlatformId}",
                "dry_run" => PathFor(PlatformId) + "&dry_run=true",
                "query_email" => PathFor(PlatformId) + "&email=in-query%40example.com",
                _ => Route + query,
            };
            var reply = await client.PostJsonAsync(path, body);
            if (reply.Status != status || reply.Error != (status == 403 ? "Forbidden" : "BadRequest") || !reply.DetailFields.Contains(field))
            {
                failures.Add($"{what}: expected {status} naming {field}, got {reply}");
            }
            var audit = (await AuditAsync(reply.Header("X-Request-Id")!)).ToString();
            if (!audit.Contains("\"outcome\":\"rejected\"", StringComparison.Ordinal)) failures.Add($"{what}: audit entry {audit}");
            foreach (var value in SentValues(body))
            {
                if (reply.Body.Contains(value, StringComparison.OrdinalIgnoreCase)) failures.Add($"{what}: the answer quotes {value}");
                if (audit.Contains(value, StringComparison.OrdinalIgnoreCase)) failures.Add($"{what}: the audit entry quotes {value}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
        Assert.Equal(outboxBefore, await StoreSnapshot.CountAsync(Server.Database, "outbox_messages"));
    }

    [Fact]
    public async Task The_body_record_is_the_wire_shape_each_required_field_and_length_bound_is_enforced_naming_the_field()
    {
        using var client = await Server.DemoClientAsync();
        var example = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(NetworkPrivacyRequestBody.Example))!.AsObject();
        Assert.Equal(202, (await SubmitAsync(client, example.ToJsonString())).Status);
        var failures = new List<string>();
        foreach (var property in typeof(NetworkPrivacyRequestBody).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            var name = ((System.Text.Json.Serialization.JsonPropertyNameAttribute)Attribute.GetCustomAttribute(property, typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute))!).Name;
            var variants = new List<System.Text.Json.Nodes.JsonObject>();
            if (Attribute.IsDefined(property, typeof(System.ComponentModel.DataAnnotations.RequiredAttribute)))
            {
                var without = example.DeepClone().AsObject();
                without.Remove(name);
                variants.Add(without);
            }
            if (Attribute.GetCustomAttribute(property, typeof(System.ComponentModel.DataAnnotations.StringLengthAttribute)) is System.ComponentModel.DataAnnotations.StringLengthAttribute length)
            {
                // The one identifier sent is this one, too long.
                var longer = new System.Text.Json.Nodes.JsonObject { ["requestType"] = "NETWORK_OPT_OUT", [name] = new string('a', length.MaximumLength + 1) };
                variants.Add(longer);
            }
            foreach (var variant in variants)
            {
                var reply = await SubmitAsync(client, variant.ToJsonString());
                if (reply.Status != 400 || !reply.DetailFields.Contains(name)) failures.Add($"{variant.ToJsonString()[..Math.Min(80, variant.ToJsonString().Length)]}: {reply}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_an_oversized_one_413_in_the_envelope()
    {
        using var client = await Server.DemoClientAsync();
        var text = await client.PostAsync(PathFor(PlatformId), new StringContent("email=text@example.com", Encoding.UTF8, "text/plain"));
        var reply = await Http.ReadAsync(text);
        Assert.Equal(415, reply.Status);
        Assert.Contains("Content-Type", reply.DetailFields);

        var huge = new string('a', 1024 * 1024 + 10);
        var large = await client.PostJsonAsync(PathFor(PlatformId), $$"""{"requestType":"NETWORK_OPT_OUT","email":"{{huge}}"}""");
        Assert.Equal(413, large.Status);
        Assert.Equal("PayloadTooLarge", large.Error);
    }

    [Fact]
    public async Task The_pipeline_receives_the_signed_event_with_the_identifier_and_only_the_hash_remains_after_delivery()
    {
        using var client = await Server.DemoClientAsync();
        var email = NewEmail();
        var reply = await SubmitAsync(client, new { requestType = "NETWORK_DATA_DELETION", email });
        var requestId = reply.Json.GetProperty("requestId").GetString()!;

        var received = (await fixture.Pipeline.WaitForAsync(r => r.Any(w => w.Body.Contains(requestId)))).Single(w => w.Body.Contains(requestId));
        Assert.True(received.SignatureValid);
        Assert.Equal("network_privacy_request.submitted", received.Type);
        var data = received.Json.GetProperty("data");
        Assert.Equal("NETWORK_DATA_DELETION", data.GetProperty("request_type").GetString());
        Assert.Equal("email", data.GetProperty("identifier_kind").GetString());
        Assert.Equal(email, data.GetProperty("identifier").GetString());
        Assert.Equal(PlatformId, received.Json.GetProperty("platform_parent_account_id").GetString());

        var row = await WaitForRequestAsync(requestId, r => r.GetProperty("status").GetString() == "delivered");
        Assert.False(row.GetProperty("identifier_held").GetBoolean());
        Assert.Equal(data.GetProperty("identifier_hash").GetString(), row.GetProperty("identifier_hash").GetString());
        Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "network_privacy_requests", "id = @requestId AND sealed_identifier IS NULL", new { requestId }));

        // The same address as its published hashedEmail form keys to the same hash, so operators can tell the requests are one consumer's.
        var hashed = await SubmitAsync(client, new { requestType = "NETWORK_OPT_OUT", hashedEmail = PrivacyIdentifierHash.EmailSha256(email).ToUpperInvariant() });
        var hashedRow = await RequestAsync(hashed.Json.GetProperty("requestId").GetString()!);
        Assert.Equal(row.GetProperty("identifier_hash").GetString(), hashedRow.GetProperty("identifier_hash").GetString());
    }

    [Fact]
    public async Task Neither_the_e_mail_nor_the_phone_number_is_anywhere_in_clear_in_logs_tables_database_files_or_the_audit_log()
    {
        using var client = await Server.DemoClientAsync();
        var email = NewEmail();
        var phone = NewPhone();
        var refused = "refused." + NewEmail();
        var ids = new List<string>();
        foreach (object body in new object[]
        {
            new { requestType = "NETWORK_OPT_OUT", email },
            new { requestType = "NETWORK_DATA_DELETION", phoneNumber = phone },
            new { requestType = "NETWORK_OPT_OUT", email = "  " + email.ToUpperInvariant() + " " },
        })
        {
            var reply = await SubmitAsync(client, body);
            Assert.Equal(202, reply.Status);
            ids.Add(reply.Json.GetProperty("requestId").GetString()!);
        }
        Assert.Equal(400, (await SubmitAsync(client, new { requestType = "NETWORK_OPT_OUT", email = refused, phoneNumber = phone })).Status);
        var delivered = await fixture.Pipeline.WaitForAsync(r => ids.All(id => r.Any(w => w.Body.Contains(id))));
        Assert.Contains(delivered, w => w.Body.Contains(phone));
        foreach (var id in ids) await WaitForRequestAsync(id, r => r.GetProperty("status").GetString() == "delivered");

        var secrets = new[] { email, phone, refused, PrivacyIdentifierHash.EmailSha256(email), phone.TrimStart('+') };
        var found = new List<string>();
        void Search(string where, string text)
        {
            foreach (var secret in secrets)
            {
                if (text.Contains(secret, StringComparison.OrdinalIgnoreCase)) found.Add($"{secret} in {where}");
            }
        }

        Assert.NotEmpty(fixture.Logs.Lines);
        Search("the server's log", fixture.Logs.Text);
        await using (var connection = await Server.Database.OpenAsync())
        {
            foreach (var table in await StoreSnapshot.SchemaTablesAsync(Server.Database))
            {
                foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM {table}"))
                {
                    foreach (var (column, value) in row) Search($"{table}.{column}", value switch { byte[] b => Encoding.UTF8.GetString(b), _ => value?.ToString() ?? "" });
                }
            }
        }
        if (Server.Kind == StoreKind.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Server.ConnectionString).DataSource;
            foreach (var path in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
            {
                var bytes = OutOfProcessFile.ReadAllBytes(path);
                // UTF-8 and, for SQLite text stored as UTF-16, its little-endian form.
                Search(path, Encoding.UTF8.GetString(bytes));
                Search(path + " (UTF-16)", Encoding.Unicode.GetString(bytes));
            }
        }
        using var admin = Server.AdminClient();
        foreach (var adminPath in new[] { $"/admin/v1/audit?platform_id={PlatformId}&limit=1000", "/admin/v1/events?limit=1000", "/admin/v1/outbox?limit=1000",
                     $"/admin/v1/privacy-requests?platform_id={PlatformId}&limit=1000" })
        {
            var page = await admin.GetJsonAsync(adminPath);
            Assert.Equal(200, page.Status);
            Search(adminPath, page.Body);
        }
        Assert.True(found.Count == 0, string.Join("\n", found));
        var audits = (await admin.GetJsonAsync($"/admin/v1/audit?platform_id={PlatformId}&path={Route}&outcome=committed&limit=1000")).Data;
        Assert.Contains(audits.EnumerateArray(), a => a.GetProperty("summary").GetString()!.Contains(ids[0]));
    }

    [Fact]
    public async Task An_acknowledgement_erases_the_sealed_copy_of_a_request_not_yet_delivered_through_the_admin_surface_and_the_CLI()
    {
        using var client = await Server.DemoClientAsync();
        using var admin = Server.AdminClient();
        fixture.Pipeline.FailWith = 503;
        fixture.Pipeline.FailuresLeft = -1;
        try
        {
            var first = (await SubmitAsync(client, new { requestType = "NETWORK_OPT_OUT", phoneNumber = NewPhone() })).Json.GetProperty("requestId").GetString()!;
            var second = (await SubmitAsync(client, new { requestType = "NETWORK_OPT_OUT", email = NewEmail() })).Json.GetProperty("requestId").GetString()!;
            var held = await RequestAsync(first);
            Assert.Equal("submitted", held.GetProperty("status").GetString());
            Assert.True(held.GetProperty("identifier_held").GetBoolean());
            Assert.Equal("phoneNumber", held.GetProperty("identifier_kind").GetString());

            var acknowledged = await admin.PostJsonAsync($"/admin/v1/privacy-requests/{first}/acknowledge", null);
            Assert.Equal(200, acknowledged.Status);
            Assert.Equal("acknowledged", acknowledged.Data.GetProperty("status").GetString());
            Assert.False(acknowledged.Data.GetProperty("identifier_held").GetBoolean());
            Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/privacy-requests/{first}/acknowledge", null)).Status);
            Assert.Equal(404, (await admin.PostJsonAsync($"/admin/v1/privacy-requests/{Guid.NewGuid()}/acknowledge", null)).Status);
            Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "network_privacy_requests", "id = @first AND sealed_identifier IS NULL", new { first }));
            var audit = (await admin.GetJsonAsync("/admin/v1/audit?action=privacy_request.acknowledge&limit=1000")).Data;
            Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("target").GetString() == "privacy_request:" + first);

            var cli = await CliAsync("privacy-requests", "acknowledge", "--id", second);
            Assert.True(cli.Exit == 0, cli.Err);
            Assert.Equal("acknowledged", JsonDocument.Parse(cli.Out).RootElement.GetProperty("status").GetString());
            Assert.False((await RequestAsync(second)).GetProperty("identifier_held").GetBoolean());
        }
        finally
        {
            fixture.Pipeline.FailWith = null;
        }
    }

    [Fact]
    public async Task Past_the_retention_window_a_request_the_pipeline_never_took_keeps_only_its_hash()
    {
        using var client = await Server.DemoClientAsync();
        fixture.Pipeline.FailWith = 503;
        fixture.Pipeline.FailuresLeft = -1;
        try
        {
            var requestId = (await SubmitAsync(client, new { requestType = "NETWORK_DATA_DELETION", email = NewEmail() })).Json.GetProperty("requestId").GetString()!;
            Assert.True((await RequestAsync(requestId)).GetProperty("identifier_held").GetBoolean());

            fixture.Clock.Advance(TimeSpan.FromDays(29));
            await Task.Delay(300); // three purge rounds: inside the window nothing is erased
            Assert.True((await RequestAsync(requestId)).GetProperty("identifier_held").GetBoolean());

            fixture.Clock.Advance(TimeSpan.FromDays(1.5));
            var expired = await WaitForRequestAsync(requestId, r => r.GetProperty("status").GetString() == "expired");
            Assert.False(expired.GetProperty("identifier_held").GetBoolean());
            Assert.NotNull(expired.GetProperty("erased_at").GetString());
            Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "network_privacy_requests", "id = @requestId AND sealed_identifier IS NULL", new { requestId }));
        }
        finally
        {
            fixture.Pipeline.FailWith = null;
        }
    }

    private Task<(int Exit, string Out, string Err)> CliAsync(params string[] args) => CliProcess.RunAsync(
        [.. args, "--provider", Server.Kind == StoreKind.Sqlite ? "sqlite" : "postgres", "--connection", Server.ConnectionString],
        new Dictionary<string, string> { ["Secrets__EncryptionKey"] = Server.SecretKey, ["Auth__SigningKey"] = Server.SigningKey });

    private async Task<JsonElement> RequestAsync(string requestId)
    {
        using var admin = Server.AdminClient();
        var reply = await admin.GetJsonAsync($"/admin/v1/privacy-requests/{requestId}");
        Assert.True(reply.Status == 200, reply.ToString());
        return reply.Data;
    }

    private async Task<JsonElement> WaitForRequestAsync(string requestId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var row = await RequestAsync(requestId);
            if (done(row)) return row;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("privacy request: " + row);
            await Task.Delay(50);
        }
    }

    /// <summary>Earlier tests' deliveries finished, so the dispatcher changes no row while a test compares snapshots.</summary>
    private async Task DeliveriesSettledAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await StoreSnapshot.CountAsync(Server.Database, "outbox_messages", "status = 'pending'") > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("outbox messages still pending");
            await Task.Delay(50);
        }
    }

    private async Task<JsonElement> AuditAsync(string requestId)
    {
        using var admin = Server.AdminClient();
        var entries = (await admin.GetJsonAsync($"/admin/v1/audit?request_id={requestId}")).Data;
        return Assert.Single(entries.EnumerateArray().ToList());
    }

    /// <summary>The string values a test body sends (the identifiers a refusal must not quote).</summary>
    private static IEnumerable<string> SentValues(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        var values = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : root.EnumerateObject().Select(p => p.Value);
        return values.Where(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Contains('@') || v.ValueKind == JsonValueKind.String && v.GetString()!.StartsWith('+') || v.ValueKind == JsonValueKind.Number)
            .Select(v => v.ToString()).ToList();
    }
}

public sealed class SqliteNetworkPrivacyRequestTests(SqlitePrivacyServerFixture fixture)
    : NetworkPrivacyRequestTests(fixture), IClassFixture<SqlitePrivacyServerFixture>;

public sealed class PostgresNetworkPrivacyRequestTests(PostgresPrivacyServerFixture fixture)
    : NetworkPrivacyRequestTests(fixture), IClassFixture<PostgresPrivacyServerFixture>;
