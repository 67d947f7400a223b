using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Application;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Each process keeps a copy of which credentials are valid (decision 22): tokens in use cost no store read per request,
/// a revocation or rotation is refused at once by the process that made it and within a second by every other one.
/// </summary>
public abstract class CredentialCheckTests(ServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private TestServer Server => fixture.Server;

    private sealed record Credential(string Id, string ClientId, string Secret);

    private async Task<Credential> IssueAsync()
    {
        using var admin = Server.AdminClient();
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "credential-check-" + Guid.NewGuid().ToString("N") });
        var platformId = platform.Data.GetProperty("platform_parent_account_id").GetString()!;
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        Assert.Equal(201, issued.Status);
        return new Credential(issued.Data.GetProperty("credential_id").GetString()!, issued.Data.GetProperty("client_id").GetString()!,
            issued.Data.GetProperty("client_secret").GetString()!);
    }

    private static async Task<int> UseAsync(HttpClient client) => (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status;

    [Fact]
    public async Task Tokens_in_use_are_refused_at_once_after_their_credential_is_revoked_or_rotated_without_grace()
    {
        var revoked = await IssueAsync();
        var rotated = await IssueAsync();
        using var revokedClient = Server.Client(await Server.TokenAsync(revoked.ClientId, revoked.Secret));
        using var rotatedClient = Server.Client(await Server.TokenAsync(rotated.ClientId, rotated.Secret));
        Assert.Equal((200, 200), (await UseAsync(revokedClient), await UseAsync(rotatedClient)));

        using var admin = Server.AdminClient();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/credentials/{revoked.Id}/revoke", null)).Status);
        Assert.Equal(401, await UseAsync(revokedClient));
        var rotation = await admin.PostJsonAsync($"/admin/v1/credentials/{rotated.Id}/rotate?grace_seconds=0", null);
        Assert.Equal(200, rotation.Status);
        Assert.Equal(401, await UseAsync(rotatedClient));

        using var renewed = Server.Client(await Server.TokenAsync(rotated.ClientId, rotation.Data.GetProperty("client_secret").GetString()!));
        Assert.Equal(200, await UseAsync(renewed));
    }

    [Fact]
    public async Task Twenty_requests_with_one_token_read_its_credential_from_the_store_a_few_times_at_most_not_twenty()
    {
        var credential = await IssueAsync();
        using var client = Server.Client(await Server.TokenAsync(credential.ClientId, credential.Secret));
        var check = Server.Services.GetRequiredService<CredentialValidity>();
        var before = check.CredentialReads;
        for (var i = 0; i < 20; i++) Assert.Equal(200, await UseAsync(client));
        // One read fills the copy; a pause longer than its maximum age on a loaded machine may cost another.
        Assert.InRange(check.CredentialReads - before, 1, 3);
    }

    [Fact]
    public async Task A_revocation_made_through_another_process_is_refused_by_a_running_process_within_a_second()
    {
        await using var other = await ServerProcess.StartAsync(ServerProcess.SharingStoreOf(Server, new Dictionary<string, string> { ["Outbox:Dispatcher"] = "false" }));
        var credential = await IssueAsync();
        using var client = other.Client(await Server.TokenAsync(credential.ClientId, credential.Secret));
        for (var i = 0; i < 3; i++) Assert.Equal(200, await UseAsync(client));

        using var admin = Server.AdminClient();
        // Started before the revocation is sent, so the time measured is at least the time since it committed.
        var sinceRevocation = Stopwatch.StartNew();
        Assert.Equal(200, (await admin.PostJsonAsync($"/admin/v1/credentials/{credential.Id}/revoke", null)).Status);
        var status = 200;
        while (sinceRevocation.Elapsed < TimeSpan.FromSeconds(5) && (status = await UseAsync(client)) == 200) { }
        var refusedAfter = sinceRevocation.Elapsed;

        output.WriteLine($"{Server.Kind}: refused {refusedAfter.TotalMilliseconds:F0} ms after the revocation was sent");
        Assert.Equal(401, status);
        Assert.True(refusedAfter < TimeSpan.FromSeconds(1.5), $"refused {refusedAfter.TotalMilliseconds:F0} ms after the revocation was sent");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCredentialCheckTests(SqliteServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : CredentialCheckTests(fixture, output);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCredentialCheckTests(PostgresServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : CredentialCheckTests(fixture, output);
