using System.Net;
using System.Net.Sockets;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Cli;

/// <summary>Every operator mistake is one line on stderr, no stack trace, and its documented exit code; an absent store stays absent.</summary>
public sealed class CliMistakeTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("partnerships-cli-mistakes-").FullName;
    private readonly string _secretsKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) =>
        CliProcess.RunAsync([.. args, "--data-dir", _data], new Dictionary<string, string> { ["Secrets__EncryptionKey"] = _secretsKey });

    private static string[] Lines(string text) => text.TrimEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertOneLine(int exit, (int Exit, string Out, string Err) result, string mentions)
    {
        Assert.Equal(exit, result.Exit);
        var line = Assert.Single(Lines(result.Err));
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_store_a_command_says_where_it_looked_and_creates_no_database()
    {
        var absent = await RunAsync("platforms", "list");
        AssertOneLine(5, absent, Path.Combine(_data, "partnerships.db"));
        Assert.Contains("partnerships migrate", absent.Err);
        Assert.Contains("--data-dir", absent.Err);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data));
    }

    [Fact]
    public async Task A_missing_file_an_unknown_platform_a_bad_csv_line_and_bad_arguments_each_get_one_line_and_their_exit_code()
    {
        Assert.Equal(0, (await RunAsync("migrate")).Exit);
        var platformId = System.Text.Json.JsonDocument.Parse((await RunAsync("platforms", "create", "--name", "mistakes")).Out)
            .RootElement.GetProperty("platform_parent_account_id").GetString()!;

        AssertOneLine(2, await RunAsync("mappings", "load", "--platform", platformId, "--file", Path.Combine(_data, "absent.csv")), "no such file");
        AssertOneLine(3, await RunAsync("credentials", "issue", "--platform", "no-such-platform"), "no-such-platform");
        AssertOneLine(2, await RunAsync("platforms", "list", "--no-such-option"), "--no-such-option");

        var csv = Path.Combine(_data, "bad.csv");
        await File.WriteAllTextAsync(csv, "partner_vertical_id,partner_sub_vertical_id,partner_vertical_name,partner_sub_vertical_name,network_sub_vertical_id\n" +
            "1,2,Food,Beer,1004\n1,x,Food,Cider,1004\n");
        var bad = await RunAsync("mappings", "load", "--platform", platformId, "--file", csv);
        Assert.Equal(2, bad.Exit);
        var lines = Lines(bad.Err);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(lines.Skip(1), l => l.Contains("line 3", StringComparison.Ordinal) && l.Contains("partner_sub_vertical_id", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_and_a_bad_connection_string_are_one_line_and_exit_code_5()
    {
        // A port nothing listens on: taken from the system, then released.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var down = await RunAsync("platforms", "list", "--provider", "postgres", "--connection",
            $"Host=127.0.0.1;Port={port};Database=partnerships;Username=ops;Password=not-printed;Timeout=5");
        AssertOneLine(5, down, $"127.0.0.1:{port}");
        Assert.DoesNotContain("not-printed", down.Err);
        AssertOneLine(5, await RunAsync("platforms", "list", "--provider", "postgres", "--connection", "Host=127.0.0.1;=;;"), "connection string");
    }
}
