using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Cli;

/// <summary>Operators rotate the token-signing key from the CLI while a server runs on the store; the server follows.</summary>
public sealed class SigningKeyCliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-cli-keys-").FullName;
    private readonly string _secretsKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private async Task<JsonElement> RunAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync([.. args, "--data-dir", _data],
            new Dictionary<string, string> { ["Secrets__EncryptionKey"] = _secretsKey });
        Assert.True(exit == 0, $"{string.Join(' ', args)}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public async Task A_rotation_from_the_CLI_reaches_the_running_server_and_its_earlier_tokens_keep_working()
    {
        await RunAsync("migrate");
        await using var server = await TestServer.StartAsync(StoreKind.Sqlite,
            connectionString: $"Data Source={Path.Combine(_data, "partnerships.db")}", secretKey: _secretsKey);
        var before = await server.TokenAsync(server.DemoOne.ClientId, server.DemoOne.ClientSecret);

        var kid = (await RunAsync("signing-keys", "rotate")).GetProperty("kid").GetString()!;
        Assert.NotEqual(new JsonWebToken(before).Kid, kid);
        var listed = await RunAsync("signing-keys", "list");
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Single(listed.EnumerateArray(), k => k.GetProperty("kid").GetString() == kid && k.GetProperty("retired_at").ValueKind == JsonValueKind.Null);

        // The server re-reads the ring within seconds and signs with the new key; the token from before still works.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string after;
        while (new JsonWebToken(after = await server.TokenAsync(server.DemoOne.ClientId, server.DemoOne.ClientSecret)).Kid != kid)
        {
            Assert.True(DateTime.UtcNow < deadline, "the server never picked up the rotated key");
            await Task.Delay(250);
        }
        foreach (var token in new[] { before, after })
        {
            using var client = server.Client(token);
            Assert.Equal(200, (await client.GetJsonAsync("/v1/partnership/vertical-mappings")).Status);
        }
    }
}
