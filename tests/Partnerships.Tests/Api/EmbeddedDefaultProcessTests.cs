using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// The embedded default run as operators run it (a process with a fresh data folder): every file it creates is 0600 in a
/// 0700 folder, and after the first-start banner no secret or token it handed out appears in its output.
/// </summary>
public sealed class EmbeddedDefaultProcessTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "partnerships-embedded-" + Guid.NewGuid().ToString("N"), "data");

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(_data)!, recursive: true); } catch (IOException) { }
    }

    private static async Task<string> TokenAsync(HttpClient client, string clientId, string secret, int expect = 200)
    {
        var response = await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        Assert.Equal(expect, (int)response.StatusCode);
        return expect == 200 ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()! : "";
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Its_files_are_private_and_no_secret_or_token_reaches_the_log_after_the_banner()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Store:DataDirectory"] = _data,
            // Debug everywhere: the strictest setting an operator could pick still logs no secret.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Outbox:PollMilliseconds"] = "50",
        });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Output.Any(l => l.StartsWith("Operator admin key: ", StringComparison.Ordinal)) || !server.Output.Any(l => l.Contains("\"platforms\"")))
        {
            Assert.True(DateTime.UtcNow < deadline, "no banner:\n" + string.Join('\n', server.Output));
            await Task.Delay(50);
        }
        await Task.Delay(200);
        var banner = server.Output;
        var adminKey = banner.First(l => l.StartsWith("Operator admin key: ", StringComparison.Ordinal))["Operator admin key: ".Length..].Trim();
        var demo = JsonDocument.Parse(banner.First(l => l.Contains("\"platforms\""))).RootElement.GetProperty("platforms")[0];
        var demoSecret = demo.GetProperty("client_secret").GetString()!;
        var bannerEnd = banner.Select((line, i) => (line, i)).Last(x => x.line.Contains(adminKey) || x.line.Contains(demoSecret)).i;
        var secrets = new List<string> { adminKey, demoSecret };

        using var admin = server.Client(adminKey);
        using var anonymous = server.Client();
        var platform = await admin.PostJsonAsync("/admin/v1/platforms", new { name = "log-check" });
        var platformId = platform.Data.GetProperty("platform_parent_account_id").GetString()!;
        var issued = await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/credentials", null);
        var credentialId = issued.Data.GetProperty("credential_id").GetString()!;
        var clientId = issued.Data.GetProperty("client_id").GetString()!;
        var first = issued.Data.GetProperty("client_secret").GetString()!;
        secrets.Add(first);
        secrets.Add(await TokenAsync(anonymous, clientId, first));
        var second = (await admin.PostJsonAsync($"/admin/v1/credentials/{credentialId}/rotate", null)).Data.GetProperty("client_secret").GetString()!;
        secrets.Add(second);
        secrets.Add(await TokenAsync(anonymous, clientId, first));
        secrets.Add(await TokenAsync(anonymous, clientId, second));
        await TokenAsync(anonymous, clientId, second + "x", 401);
        var newAdmin = (await admin.PostJsonAsync("/admin/v1/signing-keys/rotate", null));
        Assert.Equal(200, newAdmin.Status);
        secrets.Add(await TokenAsync(anonymous, clientId, second));

        var hook = await admin.PutJsonAsync($"/admin/v1/platforms/{platformId}/webhook", new { url = "https://hooks.example.com/partnerships" });
        secrets.Add(hook.Data.GetProperty("secret").GetString()!);
        secrets.Add((await admin.PostJsonAsync($"/admin/v1/platforms/{platformId}/webhook/rotate-secret", null)).Data.GetProperty("secret").GetString()!);

        // Tokens at work, a refused one too, and a registration whose welcome e-mail lands in the pickup folder.
        var demoToken = await TokenAsync(anonymous, demo.GetProperty("client_id").GetString()!, demoSecret);
        secrets.Add(demoToken);
        using var partner = server.Client(demoToken);
        Assert.Equal(201, (await partner.PostJsonAsync("/v1/accounts/register/partnership",
            Http.Registration(demo.GetProperty("platform_parent_account_id").GetString()!))).Status);
        foreach (var token in secrets.Skip(3)) { using var c = server.Client(token); await c.GetJsonAsync("/v1/partnership/vertical-mappings"); }
        using (var forged = server.Client(demoToken[..^4] + "AAAA")) Assert.Equal(401, (await forged.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);

        var pickup = Path.Combine(_data, "mail-pickup");
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Directory.Exists(pickup) || Directory.GetFiles(pickup, "*.eml").Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no pickup e-mail");
            await Task.Delay(50);
        }

        // Stat while it runs, so the WAL and shared-memory files exist.
        var folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(folder, File.GetUnixFileMode(_data));
        Assert.Equal(folder, File.GetUnixFileMode(pickup));
        var files = new[] { "partnerships.db", "partnerships.db-wal", "partnerships.db-shm", "signing.key", "secrets.key" }
            .Select(f => Path.Combine(_data, f)).Concat(Directory.GetFiles(pickup, "*.eml")).ToList();
        Assert.All(files, f => Assert.True(File.Exists(f), f));
        Assert.All(files, f => Assert.Equal((f, file), (f, File.GetUnixFileMode(f))));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_data, "*", SearchOption.AllDirectories),
            f => (File.GetUnixFileMode(f) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0);

        await Task.Delay(500); // let the last log lines through
        var after = server.Output.Skip(bannerEnd + 1).ToList();
        Assert.True(after.Count > 10, "the server logged too little to prove anything:\n" + string.Join('\n', after));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(after, line => line.Contains(secret, StringComparison.Ordinal));
            // A token's signature part alone is as good as the token to an attacker that has seen its claims.
            if (secret.Count(c => c == '.') == 2) Assert.DoesNotContain(after, line => line.Contains(secret[(secret.LastIndexOf('.') + 1)..], StringComparison.Ordinal));
        }
    }
}
