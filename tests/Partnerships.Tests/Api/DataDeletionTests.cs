using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Delivery;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// One server per store for the deletion suite, with its background workers held still (no dispatcher, no deletion
/// worker): the tests run each round themselves, so "pending" and "not sent yet" are states they can see.
/// </summary>
public abstract class DataDeletionFixture(StoreKind kind) : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;
    public WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartNewAsync();
        Server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Outbox:Dispatcher"] = "false",
            ["DataDeletion:Worker"] = "false",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Email:OperatorAddress"] = "operators@network.example",
        });
        using var admin = Server.AdminClient();
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{Server.DemoOne.PlatformParentAccountId}/webhook", new { url = Receiver.Url });
        Assert.Equal(200, hook.Status);
        Receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class SqliteDataDeletionFixture() : DataDeletionFixture(StoreKind.Sqlite);
public sealed class PostgresDataDeletionFixture() : DataDeletionFixture(StoreKind.Postgres);

public abstract class DataDeletionTests(DataDeletionFixture fixture)
{
    private TestServer Server => fixture.Server;
    private string Platform => Server.DemoOne.PlatformParentAccountId;

    [Fact]
    public async Task A_deletion_is_pending_until_the_worker_erases_the_merchant_e_mail_from_every_table_and_file_and_the_account_keeps_working()
    {
        using var client = await Server.DemoClientAsync();
        var (merchant, address) = await RegisterAsync(client);
        var (other, otherAddress) = await RegisterAsync(client);
        await DeliverAsync();
        Assert.True(PickupFilesMentioning(address).Count > 0, "the welcome e-mail is in the pickup folder");
        // A notice still in the outbox when the deletion runs: it must never be sent.
        Assert.Equal(200, (await client.PutJsonAsync($"/v1/partnership/accounts/{merchant}/status", new { status = "paused" }, Http.NewKey())).Status);
        Assert.Equal(200, (await client.PutJsonAsync($"/v1/partnership/accounts/{other}/status", new { status = "paused" }, Http.NewKey())).Status);

        var accepted = await client.PostJsonAsync(DeletionPath(merchant), new { }, Http.NewKey());
        Assert.Equal(202, accepted.Status);
        Assert.Equal(merchant, accepted.Data.GetProperty("account_id").GetString());
        Assert.Equal("pending", accepted.Data.GetProperty("status").GetString());
        Assert.Equal("contact_email", Assert.Single(accepted.Data.GetProperty("personal_fields").EnumerateArray()).GetString());
        var operationId = accepted.Header("X-Operation-Id")!;
        Assert.Equal("pending", (await client.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Data.GetProperty("status").GetString());
        Assert.True(await MentionedInStoreAsync(address), "the request itself erases nothing");

        var operation = await RunDeletionsUntilDoneAsync(client, operationId);
        Assert.Equal("completed", operation.GetProperty("status").GetString());
        Assert.Equal(202, operation.GetProperty("response_body").GetProperty("status").GetInt32());

        var statusNotice = Assert.Single(await OutboxAsync(merchant, "merchant-status"));
        Assert.Equal("cancelled", statusNotice.Status);
        await DeliverAsync();
        Assert.Equal("cancelled", Assert.Single(await OutboxAsync(merchant, "merchant-status")).Status);

        Assert.False(await MentionedInStoreAsync(address), "the erased address is in no text column of any table");
        Assert.Empty(FilesMentioning(address));
        Assert.True(await MentionedInStoreAsync(otherAddress), "another merchant's address is untouched");
        Assert.NotEmpty(PickupFilesMentioning(otherAddress));
        if (Server.Kind == StoreKind.Sqlite) Assert.Contains(FilesMentioning(otherAddress), f => f.Contains("partnerships.db", StringComparison.Ordinal));

        var account = await client.GetJsonAsync($"/v1/partnership/accounts/{merchant}");
        Assert.Equal(JsonValueKind.Null, account.Data.GetProperty("contact_email").ValueKind);
        Assert.Equal(otherAddress, (await client.GetJsonAsync($"/v1/partnership/accounts/{other}")).Data.GetProperty("contact_email").GetString());
        Assert.Equal(200, (await client.PutJsonAsync($"/v1/partnership/accounts/{merchant}/status", new { status = "active" }, Http.NewKey())).Status);
        Assert.Equal(200, (await client.GetJsonAsync($"/v1/partnership/accounts/{merchant}/marketplacecontrolslists")).Status);
        Assert.Empty(await OutboxAsync(merchant, "merchant-status", after: statusNotice.Id));

        using var admin = Server.AdminClient();
        var audit = await admin.GetJsonAsync($"/admin/v1/audit?account_id={merchant}&limit=500");
        Assert.Equal(200, audit.Status);
        Assert.Contains(audit.Data.EnumerateArray(), e => e.GetProperty("summary").GetString()?.StartsWith("personal data erased", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(address, audit.Body, StringComparison.OrdinalIgnoreCase);
        await DeliverAsync();
        Assert.Contains(fixture.Receiver.Received, w => w.Type == "account.data_deleted" && w.Json.GetProperty("account_id").GetString() == merchant);
    }

    [Fact]
    public async Task A_dry_run_deletes_nothing_a_replay_answers_the_same_and_a_second_key_while_one_is_queued_is_409()
    {
        using var client = await Server.DemoClientAsync();
        var (merchant, address) = await RegisterAsync(client);
        var before = await StoreSnapshot.TakeAllExceptAsync(Server.Database, "audit_log", "idempotency_keys");
        var dry = await client.PostJsonAsync(DeletionPath(merchant) + "?dry_run=true", new { }, Http.NewKey());
        Assert.Equal(202, dry.Status);
        Assert.Equal("true", dry.Header("Dry-Run"));
        Assert.Null(dry.Header("X-Operation-Id"));
        await RunDeletionsAsync();
        Assert.Equal(before, await StoreSnapshot.TakeAllExceptAsync(Server.Database, "audit_log", "idempotency_keys"));

        var key = Http.NewKey();
        var first = await client.PostJsonAsync(DeletionPath(merchant), new { }, key);
        var replay = await client.PostJsonAsync(DeletionPath(merchant), new { }, key);
        Assert.Equal(202, replay.Status);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(first.Header("X-Operation-Id"), replay.Header("X-Operation-Id"));
        var second = await client.PostJsonAsync(DeletionPath(merchant), new { }, Http.NewKey());
        Assert.Equal(409, second.Status);
        Assert.Equal("operation_in_progress", second.Json.GetProperty("details")[0].GetProperty("reason").GetString());

        await RunDeletionsUntilDoneAsync(client, first.Header("X-Operation-Id")!);
        Assert.False(await MentionedInStoreAsync(address));
        var late = await client.PostJsonAsync(DeletionPath(merchant), new { }, key);
        Assert.Equal(first.Body, late.Body);
        Assert.Equal("true", late.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Another_platform_s_account_is_403_an_unknown_one_404_and_any_field_400_with_nothing_queued()
    {
        using var client = await Server.DemoClientAsync();
        var (merchant, _) = await RegisterAsync(client);
        using var stranger = Server.Client(await Server.TokenAsync(Server.DemoMcc.ClientId, Server.DemoMcc.ClientSecret));
        var before = await StoreSnapshot.TakeAsync(Server.Database);

        Assert.Equal(403, (await stranger.PostJsonAsync(DeletionPath(merchant), new { }, Http.NewKey())).Status);
        Assert.Equal(404, (await client.PostJsonAsync(DeletionPath(Guid.NewGuid().ToString()), new { }, Http.NewKey())).Status);
        var field = await client.PostJsonAsync(DeletionPath(merchant), new { reason = "asked by the merchant" }, Http.NewKey());
        Assert.Equal(400, field.Status);
        Assert.Contains("reason", field.DetailFields);
        var keyless = await client.PostJsonAsync(DeletionPath(merchant), new { });
        Assert.Equal(400, keyless.Status);
        Assert.Contains("Idempotency-Key", keyless.DetailFields);

        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
        Assert.Equal(0, await StoreSnapshot.CountAsync(Server.Database, "staged_operations", "account_id = @merchant", new { merchant }));
    }

    [Fact]
    public async Task Workers_racing_for_the_same_deletions_run_each_once_and_one_left_by_a_dead_holder_is_taken_over_when_its_lease_runs_out()
    {
        using var client = await Server.DemoClientAsync();
        var queued = new List<(string Account, string Address, string Operation)>();
        for (var i = 0; i < 3; i++)
        {
            var (account, address) = await RegisterAsync(client);
            var reply = await client.PostJsonAsync(DeletionPath(account), new { }, Http.NewKey());
            queued.Add((account, address, reply.Header("X-Operation-Id")!));
        }
        // The last one was taken by a process that died: its lease is still running, so nobody may take it yet.
        await using (var connection = await Server.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE staged_operations SET locked_by = 'dead-process', locked_until = @until WHERE operation_id = @op",
                new { op = queued[2].Operation, until = Partnerships.Storage.Database.Timestamp(DateTimeOffset.UtcNow.AddMinutes(1)) });
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(RunDeletionsAsync)));
        foreach (var (account, address, operation) in queued.Take(2))
        {
            Assert.Equal("completed", (await RunDeletionsUntilDoneAsync(client, operation)).GetProperty("status").GetString());
            Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "audit_log", "account_id = @account AND summary LIKE 'personal data erased%'", new { account }));
            Assert.Equal(1, await StoreSnapshot.CountAsync(Server.Database, "events", "operation_id = @operation AND type = 'account.data_deleted'", new { operation }));
            Assert.False(await MentionedInStoreAsync(address));
        }
        Assert.Equal("pending", (await client.GetJsonAsync($"/v1/partnership/operations/{queued[2].Operation}")).Data.GetProperty("status").GetString());

        await using (var connection = await Server.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE staged_operations SET locked_until = @past WHERE operation_id = @op",
                new { op = queued[2].Operation, past = Partnerships.Storage.Database.Timestamp(DateTimeOffset.UtcNow.AddSeconds(-1)) });
        }
        Assert.Equal("completed", (await RunDeletionsUntilDoneAsync(client, queued[2].Operation)).GetProperty("status").GetString());
        Assert.False(await MentionedInStoreAsync(queued[2].Address));
    }

    private static string DeletionPath(string accountId) => $"/v1/partnership/accounts/{accountId}/data-deletion-requests";

    private async Task<(string AccountId, string Address)> RegisterAsync(HttpClient client)
    {
        var address = $"owner-{Guid.NewGuid():N}@merchant.example.com";
        var body = Http.Registration(Platform);
        body["contact_email"] = address;
        var reply = await client.PostJsonAsync("/v1/accounts/register/partnership", body, Http.NewKey());
        Assert.Equal(201, reply.Status);
        return (reply.Data.GetProperty("account_id").GetString()!, address);
    }

    private Task DeliverAsync() => Server.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(CancellationToken.None);

    private Task RunDeletionsAsync() => Server.Services.GetRequiredService<DataDeletionWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Runs worker rounds until the operation completes (a round may only wait, e.g. for readers of the SQLite log).</summary>
    private async Task<JsonElement> RunDeletionsUntilDoneAsync(HttpClient client, string operationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await RunDeletionsAsync();
            var operation = (await client.GetJsonAsync($"/v1/partnership/operations/{operationId}")).Data;
            if (operation.GetProperty("status").GetString() != "pending" || DateTime.UtcNow > deadline) return operation;
            await Task.Delay(100);
        }
    }

    private sealed record OutboxEntry(long Id, string Status);

    private async Task<IReadOnlyList<OutboxEntry>> OutboxAsync(string accountId, string topic, long after = 0)
    {
        await using var connection = await Server.Database.OpenAsync();
        return (await connection.QueryAsync<OutboxEntry>("SELECT id, status FROM outbox_messages WHERE account_id = @accountId AND topic = @topic AND id > @after",
            new { accountId, topic, after })).ToList();
    }

    /// <summary>Every text column of every table, listed from the schema catalogue, searched for the address (any case).</summary>
    private async Task<bool> MentionedInStoreAsync(string address)
    {
        await using var connection = await Server.Database.OpenAsync();
        var columns = Server.Database.IsPostgres
            ? await connection.QueryAsync<(string Table, string Column)>(
                """
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
                WHERE c.table_schema = current_schema() AND c.data_type IN ('text', 'character varying')
                """)
            : await connection.QueryAsync<(string Table, string Column)>(
                "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND upper(p.type) = 'TEXT'");
        var found = false;
        foreach (var (table, column) in columns)
        {
            var hits = await connection.ExecuteScalarAsync<long>(
                $"SELECT COUNT(*) FROM \"{table}\" WHERE lower(\"{column}\") LIKE '%' || @needle || '%'", new { needle = address.ToLowerInvariant() });
            found |= hits > 0;
        }
        Assert.NotEmpty(columns);
        return found;
    }

    private string DataDirectory => Server.Services.GetRequiredService<Partnerships.Api.Hosting.HostSettings>().DataDirectory;

    private IReadOnlyList<string> PickupFilesMentioning(string address) =>
        FilesMentioning(address, Server.Services.GetRequiredService<EmailOptions>().PickupDirectory);

    /// <summary>Every file of the data folder (the pickup folder and, on SQLite, the database and its write-ahead log) holding the address's bytes.</summary>
    private IReadOnlyList<string> FilesMentioning(string address, string? folder = null)
    {
        folder ??= DataDirectory;
        if (!Directory.Exists(folder)) return [];
        var needle = Encoding.UTF8.GetBytes(address.ToLowerInvariant());
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path =>
            {
                byte[] bytes;
                try { bytes = OutOfProcessFile.ReadAllBytes(path); }
                catch (IOException) { return false; }
                for (var i = 0; i < bytes.Length; i++) if (bytes[i] is >= (byte)'A' and <= (byte)'Z') bytes[i] += 32;
                return bytes.AsSpan().IndexOf(needle) >= 0;
            }).ToList();
    }
}

public sealed class SqliteDataDeletionTests(SqliteDataDeletionFixture f) : DataDeletionTests(f), IClassFixture<SqliteDataDeletionFixture>;
public sealed class PostgresDataDeletionTests(PostgresDataDeletionFixture f) : DataDeletionTests(f), IClassFixture<PostgresDataDeletionFixture>;
