using System.Globalization;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>Every 409 says why in each <c>details</c> item (<c>reason</c>); every other error leaves the key out entirely.</summary>
public abstract class ConflictReasonTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    private static string Mcl(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    /// <summary>Every details item of the 409 carries exactly this reason.</summary>
    internal static void AssertReason(Reply reply, string reason)
    {
        Assert.True(reply.Status == 409, reply.ToString());
        Assert.Equal("Conflict", reply.Error);
        var details = reply.Json.GetProperty("details").EnumerateArray().ToList();
        Assert.NotEmpty(details);
        Assert.All(details, d => Assert.Equal(reason, d.GetProperty("reason").GetString()));
    }

    private static void AssertNoReasonKey(Reply reply)
    {
        var details = reply.Json.GetProperty("details").EnumerateArray().ToList();
        Assert.NotEmpty(details);
        Assert.All(details, d => Assert.False(d.TryGetProperty("reason", out _), $"{reply.Status} detail has a reason: {d}"));
    }

    [Fact]
    public async Task A_stale_contentHash_is_a_409_with_reason_content_hash_stale_and_its_operation_keeps_the_reason()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var current = await client.GetJsonAsync(Mcl(accountId));
        var hash = current.Data.GetProperty("contentHash").GetString()!;
        var body = new { name = "n", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>(), contentHash = hash };
        Assert.Equal(200, (await client.PutJsonAsync(Mcl(accountId), new { name = "first", body.blockedVerticals, body.domains, contentHash = hash }, Http.NewKey())).Status);

        var stale = await client.PutJsonAsync(Mcl(accountId), body, Http.NewKey());
        AssertReason(stale, "content_hash_stale");
        Assert.Equal("contentHash", Assert.Single(stale.DetailFields));

        var operation = await client.GetJsonAsync($"/v1/partnership/operations/{stale.Header("X-Operation-Id")}");
        Assert.Equal("failed", operation.Data.GetProperty("status").GetString());
        Assert.Equal("content_hash_stale", operation.Data.GetProperty("response_body").GetProperty("details")[0].GetProperty("reason").GetString());
        var error = operation.Data.GetProperty("error");
        Assert.Equal("Conflict", error.GetProperty("code").GetString());
        Assert.Equal("content_hash_stale", error.GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.Equal("contentHash", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_same_external_account_id_with_another_store_identifier_is_a_409_with_reason_external_account_id_taken()
    {
        using var client = await Server.DemoClientAsync();
        var registration = Http.Registration(Server.DemoOne.PlatformParentAccountId);
        Assert.Equal(201, (await client.PostJsonAsync("/v1/accounts/register/partnership", registration)).Status);
        registration["store_identifier"] = "https://another-store.example.com";

        var taken = await client.PostJsonAsync("/v1/accounts/register/partnership", registration);

        AssertReason(taken, "external_account_id_taken");
        Assert.Contains("store_identifier", taken.DetailFields);
    }

    [Fact]
    public async Task Adding_a_page_for_a_surface_the_account_has_is_a_409_with_reason_surface_exists_on_every_clash()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        var pages = $"/v1/partnership/accounts/{accountId}/pages";
        Assert.Equal(201, (await client.PostJsonAsync(pages, new { pages = new[] { new { surface = "returns", layout_type = "Overlay" } } }, Http.NewKey())).Status);

        var clash = await client.PostJsonAsync(pages, new
        {
            pages = new[] { new { surface = "confirmation", layout_type = "Overlay" }, new { surface = "returns", layout_type = "Overlay" } },
        }, Http.NewKey());

        AssertReason(clash, "surface_exists");
        Assert.Equal(["pages[0].surface", "pages[1].surface"], clash.DetailFields);
    }

    [Fact]
    public async Task Operator_conflicts_carry_reasons_too_name_taken_and_revoked()
    {
        using var admin = Server.AdminClient();
        AssertReason(await admin.PostJsonAsync("/admin/v1/platforms", new { name = "demo-shopfront" }), "name_taken");

        var key = await admin.PostJsonAsync("/admin/v1/admin-keys?label=conflicts", null);
        var keyId = key.Data.GetProperty("id").GetString();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/admin-keys/{keyId}/revoke", null)).Status);
        AssertReason(await admin.PostJsonAsync($"/admin/v1/admin-keys/{keyId}/revoke", null), "revoked");
        AssertReason(await admin.PostJsonAsync($"/admin/v1/admin-keys/{keyId}/rotate", null), "revoked");

        var credential = await admin.PostJsonAsync($"/admin/v1/platforms/{Server.DemoOne.PlatformParentAccountId}/credentials", null);
        var credentialId = credential.Data.GetProperty("credential_id").GetString();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/credentials/{credentialId}/revoke", null)).Status);
        AssertReason(await admin.PostJsonAsync($"/admin/v1/credentials/{credentialId}/rotate", null), "revoked");
    }

    [Fact]
    public async Task Errors_other_than_409_have_details_without_a_reason_key()
    {
        using var client = await Server.DemoClientAsync();
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);

        var badBody = await client.PutJsonAsync(Mcl(accountId), new { name = "x" }, Http.NewKey());
        Assert.Equal(400, badBody.Status);
        AssertNoReasonKey(badBody);

        var preconditionFailed = await client.PutJsonAsync(Mcl(accountId),
            new { name = "x", blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>() }, Http.NewKey(),
            new Dictionary<string, string> { ["If-Match"] = "\"v999-00000000\"" });
        Assert.Equal(412, preconditionFailed.Status);
        AssertNoReasonKey(preconditionFailed);

        var key = Http.NewKey();
        var status = $"/v1/partnership/accounts/{accountId}/status";
        Assert.Equal(200, (await client.PutJsonAsync(status, new { status = "paused" }, key)).Status);
        var reused = await client.PutJsonAsync(status, new { status = "active" }, key);
        Assert.Equal(422, reused.Status);
        AssertNoReasonKey(reused);

        var missingKey = await client.PutJsonAsync(status, new { status = "active" });
        Assert.Equal(400, missingKey.Status);
        AssertNoReasonKey(missingKey);
        // Nor in what the failed operation stored.
        var operation = await client.GetJsonAsync($"/v1/partnership/operations/{missingKey.Header("X-Operation-Id")}");
        Assert.All(operation.Data.GetProperty("error").GetProperty("details").EnumerateArray(), d => Assert.False(d.TryGetProperty("reason", out _)));
        Assert.DoesNotContain("\"reason\"", operation.Body);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteConflictReasonTests(SqliteServerFixture f) : ConflictReasonTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresConflictReasonTests(PostgresServerFixture f) : ConflictReasonTests(f);

/// <summary>Payout setup's two 409s, told apart by reason: this key still in flight, or another key's setup in progress.</summary>
public abstract class PayoutConflictReasonTests(StoreKind kind) : IAsyncLifetime
{
    private StripeFake _stripe = null!;
    private static readonly object Body = new { return_url = "https://platform.example.com/done", refresh_url = "https://platform.example.com/retry" };

    public async Task InitializeAsync() => _stripe = await StripeFake.StartNewAsync();
    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    [Fact]
    public async Task A_retry_while_the_key_is_in_flight_is_idempotency_key_in_flight_and_another_key_meanwhile_is_operation_in_progress()
    {
        await using var server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = "sk_test_partnerships", ["Stripe:BaseUrl"] = _stripe.BaseAddress.ToString().TrimEnd('/'),
            ["Stripe:TimeoutSeconds"] = 60.ToString(CultureInfo.InvariantCulture), ["Payouts:Recoverer"] = "false",
        });
        using var client = await server.DemoClientAsync();
        var accountId = await client.RegisterAsync(server.DemoOne.PlatformParentAccountId);
        var path = $"/v1/partnership/accounts/{accountId}/payout-setup";
        var key = Http.NewKey();
        _stripe.Hold("accounts");
        var first = client.PostJsonAsync(path, Body, key);
        await _stripe.WaitUntilAsync(f => f.Held == 1);

        var sameKey = await client.PostJsonAsync(path, Body, key);
        var otherKey = await client.PostJsonAsync(path, Body, Http.NewKey());
        _stripe.Release();
        Assert.Equal(201, (await first).Status);

        ConflictReasonTests.AssertReason(sameKey, "idempotency_key_in_flight");
        Assert.NotNull(sameKey.Header("Retry-After"));
        ConflictReasonTests.AssertReason(otherKey, "operation_in_progress");
        var operation = await client.GetJsonAsync($"/v1/partnership/operations/{otherKey.Header("X-Operation-Id")}");
        Assert.Equal("operation_in_progress", operation.Data.GetProperty("error").GetProperty("details")[0].GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Object, operation.Data.GetProperty("response_body").ValueKind);
    }
}

public sealed class SqlitePayoutConflictReasonTests() : PayoutConflictReasonTests(StoreKind.Sqlite);

public sealed class PostgresPayoutConflictReasonTests() : PayoutConflictReasonTests(StoreKind.Postgres);
