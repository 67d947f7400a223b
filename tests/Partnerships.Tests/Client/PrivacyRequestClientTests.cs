using Partnerships.Client;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>The typed client's network privacy request: the receipt from the unwrapped 202, and a refusal naming the field.</summary>
public abstract class PrivacyRequestClientTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task A_privacy_request_returns_its_receipt_and_a_bad_identifier_throws_naming_the_field_not_quoting_it()
    {
        var (client, _) = ClientHarness.NewClient(Server, o => o with { PlatformParentAccountId = Server.DemoOne.PlatformParentAccountId });
        using var _c = client;

        var receipt = await client.SubmitNetworkPrivacyRequestAsync(NetworkPrivacyRequest.ForEmail(PrivacyRequestType.NetworkOptOut, "client-shopper@example.com"));
        Assert.Equal(202, receipt.StatusCode);
        Assert.Equal("submitted", receipt.Data.Status);
        Assert.True(Guid.TryParse(receipt.Data.RequestId, out _));
        Assert.NotNull(receipt.RequestId);
        Assert.Null(receipt.OperationId);

        var hashed = await client.SubmitNetworkPrivacyRequestAsync(
            NetworkPrivacyRequest.ForHashedEmail(PrivacyRequestType.NetworkDataDeletion, NetworkPrivacyRequest.HashEmail(" Client-Shopper@Example.com ")));
        Assert.NotEqual(receipt.Data.RequestId, hashed.Data.RequestId);

        var refused = await Assert.ThrowsAsync<PartnershipsApiException>(() =>
            client.SubmitNetworkPrivacyRequestAsync(NetworkPrivacyRequest.ForPhoneNumber(PrivacyRequestType.NetworkOptOut, "555-0199")));
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains(refused.Details, d => d.Field == "phoneNumber");
        Assert.DoesNotContain("555-0199", refused.Message);

        var foreign = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.SubmitNetworkPrivacyRequestAsync(
            NetworkPrivacyRequest.ForPhoneNumber(PrivacyRequestType.NetworkOptOut, "+14155550199"), Server.DemoMcc.PlatformParentAccountId));
        Assert.Equal(403, foreign.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePrivacyRequestClientTests(SqliteServerFixture f) : PrivacyRequestClientTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPrivacyRequestClientTests(PostgresServerFixture f) : PrivacyRequestClientTests(f);
