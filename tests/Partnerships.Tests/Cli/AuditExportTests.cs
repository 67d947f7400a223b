using System.Net.Http.Json;
using System.Text.Json;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Cli;

/// <summary>Operators export the audit log as NDJSON, from the admin route and from the CLI, on each store; the export is audited.</summary>
public abstract class AuditExportTests(StoreKind kind) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-audit-export-").FullName;
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private static List<JsonElement> Ndjson(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task The_admin_route_and_the_CLI_export_entries_in_order_as_NDJSON_and_each_export_is_audited()
    {
        using var admin = _server.AdminClient();
        foreach (var name in new[] { "export-one", "export-two", "export-three" })
        {
            (await admin.PostAsJsonAsync("/admin/v1/platforms", new { name })).EnsureSuccessStatusCode();
        }

        using var response = await admin.GetAsync("/admin/v1/audit/export?action=platform.create");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var entries = Ndjson(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, entries.Count(e => e.GetProperty("path").GetString() == "/admin/v1/platforms"));
        Assert.All(entries, e => Assert.Equal("platform.create", e.GetProperty("action").GetString()));
        var ids = entries.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(400, HttpStatusCodeOf(await admin.GetAsync("/admin/v1/audit/export?from=yesterday")));

        var cli = await CliProcess.RunAsync(["audit", "export", "--from", "2000-01-01T00:00:00Z",
                "--provider", kind == StoreKind.Sqlite ? "sqlite" : "postgres", "--connection", _server.ConnectionString, "--data-dir", _data],
            new Dictionary<string, string> { ["Secrets__EncryptionKey"] = _server.SecretKey });
        Assert.True(cli.Exit == 0, cli.Err);
        var exported = Ndjson(cli.Out);
        // Everything up to the CLI's start, the route's own export entry included, and never the CLI's own.
        Assert.Contains(exported, e => e.GetProperty("action").GetString() == "audit.export");
        Assert.Equal(ids, exported.Where(e => e.GetProperty("action").GetString() == "platform.create").Select(e => e.GetProperty("id").GetInt64()));

        var audited = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/audit?action=audit.export");
        var exports = audited.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, exports.Count);
        Assert.Equal(entries.Count, exports[0].GetProperty("after").GetProperty("exported").GetInt64());
        Assert.True(exports[0].GetProperty("after").GetProperty("complete").GetBoolean());
        Assert.Equal("cli:" + Environment.UserName, exports[1].GetProperty("actor").GetString());
    }

    private static int HttpStatusCodeOf(HttpResponseMessage response)
    {
        using (response) return (int)response.StatusCode;
    }
}

public sealed class SqliteAuditExportTests() : AuditExportTests(StoreKind.Sqlite);

public sealed class PostgresAuditExportTests() : AuditExportTests(StoreKind.Postgres);
