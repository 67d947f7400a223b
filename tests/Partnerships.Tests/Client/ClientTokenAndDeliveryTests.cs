using System.Globalization;
using Partnerships.Client;
using Partnerships.Client.Webhooks;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>
/// The client against a server of its own: four-second access tokens, a fake payment provider and a webhook receiver.
/// </summary>
public abstract class ClientTokenAndDeliveryTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _server = null!;
    private WebhookReceiver _receiver = null!;
    private StripeFake _stripe = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartNewAsync();
        _stripe = await StripeFake.StartNewAsync();
        _server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Auth:TokenLifetimeSeconds"] = "4",
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Stripe:SecretKey"] = "sk_test_partnerships",
            ["Stripe:BaseUrl"] = _stripe.BaseAddress.ToString().TrimEnd('/'),
            ["Outbox:PollMilliseconds"] = "50",
            ["Outbox:BaseDelayMilliseconds"] = "100",
        });
        using var admin = _server.AdminClient();
        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{_server.DemoOne.PlatformParentAccountId}/webhook", new { url = _receiver.Url });
        Assert.Equal(200, hook.Status);
        _receiver.Secret = hook.Data.GetProperty("secret").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task Concurrent_first_calls_share_one_token_request()
    {
        var (client, handler) = ClientHarness.NewClient(_server, o => o with { TokenRefreshMargin = TimeSpan.FromMilliseconds(100) });
        using var _c = client;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => client.ListVerticalMappingsAsync())));
        Assert.Equal(1, handler.TokenRequests);
        Assert.Equal(20, handler.Calls.Count);
        Assert.Single(handler.Calls.Select(c => c.Bearer).Distinct());
    }

    [Fact]
    public async Task A_short_lived_token_is_replaced_before_it_expires()
    {
        var (client, handler) = ClientHarness.NewClient(_server);
        using var _c = client;
        await client.ListVerticalMappingsAsync();
        await client.ListVerticalMappingsAsync();
        Assert.Equal(1, handler.TokenRequests);

        // A 4 s token is refreshed once half of it has gone (the 30 s default margin is more than half), before it lapses.
        await Task.Delay(TimeSpan.FromMilliseconds(2500));
        await client.ListVerticalMappingsAsync();

        Assert.Equal(2, handler.TokenRequests);
        var bearers = handler.Calls.Select(c => c.Bearer).ToList();
        Assert.Equal(bearers[0], bearers[1]);
        Assert.NotEqual(bearers[1], bearers[2]);
    }

    [Fact]
    public async Task CreatePayoutSetupAsync_creates_the_setup_once_and_answers_its_state_after()
    {
        var (client, _) = ClientHarness.NewClient(_server);
        using var _c = client;
        var account = await client.RegisterAsync(_server);
        var request = new PayoutSetupRequest("https://platform.example.com/return", "https://platform.example.com/refresh");

        var created = await client.CreatePayoutSetupAsync(account.AccountId, request);
        var again = await client.CreatePayoutSetupAsync(account.AccountId, request);

        Assert.Equal(201, created.StatusCode);
        Assert.Equal(account.AccountId, created.Data.AccountId);
        Assert.StartsWith("https://", created.Data.OnboardingUrl, StringComparison.Ordinal);
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(created.Data.ProviderAccountId, again.Data.ProviderAccountId);
        Assert.Equal(1, _stripe.AccountsCreated);
        Assert.Equal(OperationStatuses.Completed, (await client.WaitForOperationAsync(created.OperationId!)).Data.Status);
    }

    [Fact]
    public async Task WebhookVerifier_accepts_a_real_delivery_from_the_service_and_refuses_it_altered()
    {
        var (client, _) = ClientHarness.NewClient(_server);
        using var _c = client;
        var account = await client.RegisterAsync(_server);
        var delivered = await _receiver.WaitForAsync(r => r.Any(w => w.Json.GetProperty("account_id").GetString() == account.AccountId));
        var webhook = delivered.First(w => w.Json.GetProperty("account_id").GetString() == account.AccountId);
        var verifier = new WebhookVerifier(_receiver.Secret);
        var timestamp = webhook.Timestamp.ToString(CultureInfo.InvariantCulture);

        var valid = verifier.Verify(webhook.Id, timestamp, webhook.Signature, webhook.Body);
        var altered = verifier.Verify(webhook.Id, timestamp, webhook.Signature, webhook.Body.Replace("Acme", "Acne", StringComparison.Ordinal));
        var otherSecret = new WebhookVerifier("whsec_" + Convert.ToBase64String(new byte[32])).Verify(webhook.Id, timestamp, webhook.Signature, webhook.Body);

        Assert.True(valid.IsValid, valid.Message);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, altered.Failure);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, otherSecret.Failure);
    }
}

public sealed class SqliteClientTokenAndDeliveryTests() : ClientTokenAndDeliveryTests(StoreKind.Sqlite);

public sealed class PostgresClientTokenAndDeliveryTests() : ClientTokenAndDeliveryTests(StoreKind.Postgres);
