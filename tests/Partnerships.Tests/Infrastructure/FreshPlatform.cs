namespace Partnerships.Tests.Infrastructure;

/// <summary>A platform of a test's own (its accounts are only the test's), with a credential and the demo pair 1500/1610 mapped.</summary>
public sealed record FreshPlatform(string PlatformId, string ClientId, string ClientSecret)
{
    public static async Task<FreshPlatform> CreateAsync(TestServer server)
    {
        using var admin = server.AdminClient();
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "platform-" + Guid.NewGuid().ToString("N") });
        if (platform.Status != 201) throw new InvalidOperationException("create platform: " + platform);
        var platformId = platform.Data.GetProperty("platform_parent_account_id").GetString()!;
        var mapping = await admin.PostJsonAsync($"/v1/partnership/vertical-mappings?platform_parent_account_id={platformId}",
            new { partnerVerticalId = 1500, partnerSubVerticalId = 1610, networkSubVerticalId = 1003 });
        if (mapping.Status != 200) throw new InvalidOperationException("load mapping: " + mapping);
        var credential = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        if (credential.Status != 201) throw new InvalidOperationException("issue credential: " + credential);
        return new FreshPlatform(platformId, credential.Data.GetProperty("client_id").GetString()!, credential.Data.GetProperty("client_secret").GetString()!);
    }

    public async Task<HttpClient> ClientAsync(TestServer server) => server.Client(await server.TokenAsync(ClientId, ClientSecret));
}
