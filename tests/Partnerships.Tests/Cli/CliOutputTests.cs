using System.Net.Http.Json;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Cli;

/// <summary>The CLI prints the admin routes' views: the same JSON byte for byte, or a table for a person.</summary>
public sealed class CliOutputTests : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-cli-output-").FullName;
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(StoreKind.Sqlite);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) =>
        CliProcess.RunAsync([.. args, "--provider", "sqlite", "--connection", _server.ConnectionString, "--data-dir", _data],
            new Dictionary<string, string> { ["Secrets__EncryptionKey"] = _server.SecretKey });

    private async Task<string> AdminDataAsync(string path)
    {
        using var admin = _server.AdminClient();
        var body = await admin.GetStringAsync(path);
        return JsonDocument.Parse(body).RootElement.GetProperty("data").GetRawText();
    }

    [Fact]
    public async Task The_json_output_is_the_admin_routes_data_and_the_table_output_has_a_header_row_and_aligned_columns()
    {
        using var admin = _server.AdminClient();
        (await admin.PostAsJsonAsync("/admin/v1/platforms", new { name = "Table Platform" })).EnsureSuccessStatusCode();
        var platformId = _server.DemoOne.PlatformParentAccountId;

        var json = await RunAsync("platforms", "list", "--output", "json");
        Assert.Equal(0, json.Exit);
        Assert.Equal(await AdminDataAsync("/admin/v1/platforms"), json.Out.Trim());
        // Every field either surface had: the mapping rows' updated_at, the relationship's platform.
        var rows = await RunAsync("mappings", "list", "--platform", platformId, "--output", "json");
        Assert.Equal(await AdminDataAsync($"/admin/v1/platforms/{platformId}/vertical-mappings"), rows.Out.Trim());
        Assert.Contains("\"updated_at\":", rows.Out);

        var table = await RunAsync("platforms", "list", "--output", "table");
        Assert.Equal(0, table.Exit);
        var lines = table.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Matches(@"^PLATFORM_PARENT_ACCOUNT_ID\s+NAME\s+CREATED_AT$", lines[0]);
        var nameColumn = lines[0].IndexOf("NAME", StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.Contains("Table Platform", StringComparison.Ordinal));
        Assert.Equal(nameColumn, row.IndexOf("Table Platform", StringComparison.Ordinal));
        Assert.Equal(4, lines.Length); // the header, the two demo platforms and this one

        // Redirected output without --output is JSON, for scripts.
        Assert.Equal(json.Out, (await RunAsync("platforms", "list")).Out);
    }
}
