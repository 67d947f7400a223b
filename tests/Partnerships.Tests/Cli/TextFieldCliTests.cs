using Partnerships.Storage;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Cli;

/// <summary>The operator CLI refuses names and labels that break the text rules, as the admin surface does, and stores nothing.</summary>
public sealed class TextFieldCliTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-cli-text-").FullName;
    private readonly string _key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
        => CliProcess.RunAsync([.. args, "--data-dir", _data], new Dictionary<string, string> { ["Auth__SigningKey"] = _key });

    [Fact]
    public async Task A_platform_name_or_a_key_label_with_a_line_break_or_a_bidi_override_is_refused_naming_it()
    {
        Assert.Equal(0, (await RunAsync("migrate")).Exit);
        var db = new Database(new StoreOptions(StoreProvider.Sqlite, $"Data Source={Path.Combine(_data, "partnerships.db")}"));
        var before = await StoreSnapshot.TakeAsync(db, "platforms", "admin_keys", "client_credentials");

        var platform = await RunAsync("platforms", "create", "--name", "Acme\nPlatform");
        Assert.Equal(2, platform.Exit);
        Assert.Contains("name", platform.Err);
        Assert.Contains("U+000A", platform.Err);

        var key = await RunAsync("admin-keys", "create", "--label", "ops \u202Eyek");
        Assert.Equal(2, key.Exit);
        Assert.Contains("label", key.Err);
        Assert.Contains("U+202E", key.Err);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(db, "platforms", "admin_keys", "client_credentials"));

        Assert.Equal(0, (await RunAsync("admin-keys", "create", "--label", "ops key ‏(א)")).Exit);
        Assert.Contains("label=ops key ‏(א) |", await StoreSnapshot.TakeAsync(db, "admin_keys"));
    }
}
