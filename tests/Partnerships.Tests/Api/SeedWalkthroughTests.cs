using System.Diagnostics;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// The seeds' curl, Python and Node snippets (tests/Partnerships.Tests/Seeds, verbatim) run against the server with only
/// the host, the token and the account id substituted — plus, as seed 000's walkthrough directs, the contentHash its
/// first GET captured — and every claim they make is checked.
/// </summary>
public abstract class SeedWalkthroughTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;
    private static string Mcl(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    private sealed class Walkthrough(TestServer server, string token, string accountId, string workDir)
    {
        public string Hash { get; set; } = "h_abc123";
        public Task WriteFileAsync(string name, string content) => File.WriteAllTextAsync(Path.Combine(workDir, name), content);
        private string Host => server.BaseAddress.ToString().TrimEnd('/');

        private string Substitute(string snippet) => snippet
            .Replace("https://accounts.rokt.com", Host).Replace("<your-account-id>", accountId).Replace("h_abc123", Hash);

        public Task<string> CurlAsync(string file) =>
            RunAsync("bash", "sh", Substitute(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", file))));

        public Task<string> PythonAsync(string file, string epilogue = "") => RunAsync(Environment.GetEnvironmentVariable("SEED_PYTHON") ?? "python3", "py",
            $$"""
            import json, requests
            account_id = "{{accountId}}"
            token = "{{token}}"
            def get_mcl(account_id):
                return requests.get(f"{{Host}}/v1/partnership/accounts/{account_id}/marketplacecontrolslists", headers={"Authorization": f"Bearer {token}"}).json()

            """ + Substitute(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", file))) + "\n" + epilogue);

        public Task<string> NodeAsync(string file, string epilogue = "") => RunAsync("node", "mjs",
            $$"""
            import { writeFileSync } from "node:fs";
            const accountId = "{{accountId}}";
            const token = "{{token}}";
            async function getMcl(id) {
              const r = await fetch(`{{Host}}/v1/partnership/accounts/${id}/marketplacecontrolslists`, { headers: { Authorization: `Bearer ${token}` } });
              return r.json();
            }

            """ + Substitute(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", file))) + "\n" + epilogue);

        private async Task<string> RunAsync(string program, string extension, string text)
        {
            var script = Path.Combine(workDir, $"snippet-{Guid.NewGuid():N}.{extension}");
            await File.WriteAllTextAsync(script, text);
            var info = new ProcessStartInfo(program) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (program == "bash") info.ArgumentList.Add("-e");
            info.ArgumentList.Add(script);
            info.Environment["ROKT_TOKEN"] = token;
            info.Environment["TOKEN"] = token;
            info.Environment["PARENT"] = server.DemoOne.PlatformParentAccountId;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{program} {script} exited {process.ExitCode}: {await stderr}{await stdout}");
            return await stdout;
        }
    }

    private async Task<(HttpClient Client, Walkthrough Walk, string AccountId)> StartAsync()
    {
        var token = await Server.TokenAsync(Server.DemoOne.ClientId, Server.DemoOne.ClientSecret);
        var client = Server.Client(token);
        var accountId = await client.RegisterAsync(Server.DemoOne.PlatformParentAccountId);
        return (client, new Walkthrough(Server, token, accountId, Directory.CreateTempSubdirectory("partnerships-seed-").FullName), accountId);
    }

    [Fact]
    public async Task Seed_000_dry_run_walkthrough_in_curl_python_and_node()
    {
        var (client, walk, accountId) = await StartAsync();
        using var _ = client;
        var before = JsonDocument.Parse(await walk.CurlAsync("000-get.sh")).RootElement.GetProperty("data");
        walk.Hash = before.GetProperty("contentHash").GetString()!; // "capture the contentHash"

        var curl = JsonDocument.Parse(await walk.CurlAsync("000-dry-run.sh")).RootElement;
        Assert.Equal(200, curl.GetProperty("status").GetInt32());
        Assert.Equal(2, curl.GetProperty("data").GetProperty("blockedVerticals").GetArrayLength()); // the full shape, as if committed
        await walk.PythonAsync("000-dry-run.py");
        await walk.NodeAsync("000-dry-run.mjs", "if (resp.status !== 200) { console.error(await resp.text()); process.exit(1); }");

        var after = JsonDocument.Parse(await walk.CurlAsync("000-get.sh")).RootElement.GetProperty("data");
        Assert.Equal(walk.Hash, after.GetProperty("contentHash").GetString());
        Assert.Equal(before.GetProperty("blockedVerticals").GetRawText(), after.GetProperty("blockedVerticals").GetRawText());

        // Real commit with a fresh key, the same payload in mcl.json.
        var payload = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Seeds", "000-dry-run.sh"));
        var json = payload[(payload.IndexOf("-d '", StringComparison.Ordinal) + 4)..payload.LastIndexOf('\'')].Replace("h_abc123", walk.Hash);
        await walk.WriteFileAsync("mcl.json", json);
        var committed = JsonDocument.Parse(await walk.CurlAsync("000-commit.sh")).RootElement;
        Assert.Equal(200, committed.GetProperty("status").GetInt32());
        var final = (await client.GetJsonAsync(Mcl(accountId))).Data;
        Assert.NotEqual(walk.Hash, final.GetProperty("contentHash").GetString());
        Assert.Equal([1610L, 1611L], final.GetProperty("blockedVerticals").EnumerateArray().Select(b => b.GetProperty("partnerSubVerticalId").GetInt64()));
    }

    [Theory]
    [InlineData("node")]
    [InlineData("python")]
    public async Task Seed_001_update_recipe_keeps_every_earlier_block(string language)
    {
        var (client, walk, accountId) = await StartAsync();
        using var _ = client;
        var seeded = await client.PutJsonAsync(Mcl(accountId), new
        {
            name = "Acme Network Controls",
            blockedVerticals = new[] { new { partnerVerticalId = 1500, partnerSubVerticalId = 1610, policy = "Block" }, new { partnerVerticalId = 1502, partnerSubVerticalId = 1620, policy = "Block" } },
            domains = new[] { new { domain = "competitor.example.com", policy = "Block" } },
        }, Http.NewKey());
        Assert.Equal(200, seeded.Status);

        await walk.CurlAsync("001-get.sh");
        if (language == "node") await walk.NodeAsync("001-modify.mjs", "writeFileSync(\"next.json\", JSON.stringify(next));");
        else await walk.PythonAsync("001-modify.py", "open(\"next.json\", \"w\").write(json.dumps(next_body))");

        var hashBefore = (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("contentHash").GetString();
        var dry = JsonDocument.Parse(await walk.CurlAsync("001-dry-run.sh")).RootElement;
        Assert.Equal(200, dry.GetProperty("status").GetInt32());
        Assert.Equal(hashBefore, (await client.GetJsonAsync(Mcl(accountId))).Data.GetProperty("contentHash").GetString());

        var put = JsonDocument.Parse(await walk.CurlAsync("001-put.sh")).RootElement;
        Assert.Equal(200, put.GetProperty("status").GetInt32());
        var final = (await client.GetJsonAsync(Mcl(accountId))).Data;
        Assert.Equal([1610L, 1612L, 1620L], final.GetProperty("blockedVerticals").EnumerateArray().Select(b => b.GetProperty("partnerSubVerticalId").GetInt64()));
        Assert.Equal("competitor.example.com", final.GetProperty("domains")[0].GetProperty("domain").GetString());
    }

    [Fact]
    public async Task Seed_001_update_recipe_works_on_a_freshly_registered_merchant()
    {
        var (client, walk, accountId) = await StartAsync();
        using var _ = client;
        await walk.PythonAsync("001-modify.py", "open(\"next.json\", \"w\").write(json.dumps(next_body))");
        var put = JsonDocument.Parse(await walk.CurlAsync("001-put.sh")).RootElement;
        Assert.True(put.GetProperty("status").GetInt32() == 200, put.ToString());
        var final = (await client.GetJsonAsync(Mcl(accountId))).Data;
        Assert.Equal("Acme Outdoor controls", final.GetProperty("name").GetString()); // the default name, PUT back as the GET gave it
        Assert.Equal([1612L], final.GetProperty("blockedVerticals").EnumerateArray().Select(b => b.GetProperty("partnerSubVerticalId").GetInt64()));
    }

    [Fact]
    public async Task Seed_004_round_trip_in_curl()
    {
        var (client, walk, _) = await StartAsync();
        using var __ = client;
        Assert.Equal(200, JsonDocument.Parse(await walk.CurlAsync("004-put.sh")).RootElement.GetProperty("status").GetInt32());
        var get = JsonDocument.Parse(await walk.CurlAsync("004-get.sh")).RootElement.GetProperty("data");
        var entry = get.GetProperty("translated_verticals").EnumerateArray().Single(e => e.GetProperty("vertical_id").GetInt64() == 1610);
        Assert.Equal("Block", entry.GetProperty("policy").GetString());
        Assert.Equal("Block", entry.GetProperty("position_1_policy").GetString());
        Http.AssertNoNetworkFields(get);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSeedWalkthroughTests(SqliteServerFixture f) : SeedWalkthroughTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSeedWalkthroughTests(PostgresServerFixture f) : SeedWalkthroughTests(f);
