using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>The embedded default as an operator first runs it: a server process on an empty data folder, then a restart.</summary>
public sealed class EmbeddedDefaultBannerTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-banner-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private Task<ServerProcess> StartAsync() => ServerProcess.StartAsync(new Dictionary<string, string> { ["Store:DataDirectory"] = _data });

    private static async Task<IReadOnlyList<string>> OutputUntilAsync(ServerProcess server, Func<string, bool> last)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Output.Any(last))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no banner:\n" + string.Join('\n', server.Output));
            await Task.Delay(50);
        }
        return server.Output;
    }

    [Fact]
    public async Task The_first_start_prints_the_demo_credentials_and_the_first_admin_key_once_and_later_starts_print_no_secret()
    {
        string adminKey;
        JsonElement platforms;
        await using (var first = await StartAsync())
        {
            var output = await OutputUntilAsync(first, l => l.StartsWith("Operator admin key: ", StringComparison.Ordinal));
            var json = Assert.Single(output, l => l.StartsWith("{\"platforms\":", StringComparison.Ordinal));
            platforms = JsonDocument.Parse(json).RootElement.GetProperty("platforms").Clone();
            Assert.Equal(["demo-shopfront", "demo-mcc-commerce"], platforms.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
            foreach (var p in platforms.EnumerateArray())
            {
                Assert.StartsWith("rspub_", p.GetProperty("client_id").GetString());
                Assert.StartsWith("rsec_", p.GetProperty("client_secret").GetString());
                Assert.True(Guid.TryParse(p.GetProperty("platform_parent_account_id").GetString(), out _));
            }
            adminKey = Assert.Single(output, l => l.StartsWith("Operator admin key: ", StringComparison.Ordinal))["Operator admin key: ".Length..];
            Assert.Matches("^padm_[A-Za-z0-9_-]{43}$", adminKey);
            // Each secret appears on its banner line and nowhere else.
            var secrets = platforms.EnumerateArray().Select(p => p.GetProperty("client_secret").GetString()!).Append(adminKey).ToList();
            Assert.All(secrets, s => Assert.Single(output, l => l.Contains(s, StringComparison.Ordinal)));

            using var admin = first.Client(adminKey);
            Assert.Equal(200, (await admin.GetJsonAsync("/admin/v1/platforms")).Status);
        }

        await using var second = await StartAsync();
        var later = await OutputUntilAsync(second, l => l.Contains("partnerships admin-keys create", StringComparison.Ordinal));
        Assert.Contains(later, l => l.Contains("partnerships credentials issue", StringComparison.Ordinal));
        Assert.DoesNotContain(later, l => l.Contains("rsec_", StringComparison.Ordinal) || l.Contains("padm_", StringComparison.Ordinal));
        Assert.DoesNotContain(later, l => l.StartsWith("{\"platforms\":", StringComparison.Ordinal));

        // What the first start printed still works: it was stored (hashed), not re-derived.
        using (var admin = second.Client(adminKey))
        {
            var listed = await admin.GetJsonAsync("/admin/v1/admin-keys");
            Assert.Equal("embedded default", Assert.Single(listed.Data.EnumerateArray()).GetProperty("label").GetString());
        }
        using var token = second.Client();
        var demo = platforms[0];
        var reply = await token.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = demo.GetProperty("client_id").GetString()!,
            ["client_secret"] = demo.GetProperty("client_secret").GetString()!,
        }));
        Assert.Equal(200, (int)reply.StatusCode);
    }
}
