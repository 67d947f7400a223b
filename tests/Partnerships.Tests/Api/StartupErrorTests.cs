using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Partnerships.Testing;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// The built service started with one mistake each: it prints one line on stderr naming the setting and what to do,
/// no stack trace anywhere, and exits with the code the operations guide gives for that kind of failure.
/// </summary>
public sealed class StartupErrorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "partnerships-startup-" + Guid.NewGuid().ToString("N"));
    private static readonly string SecretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public StartupErrorTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string, int, string> Mistakes => new()
    {
        { "an unknown store provider", 2, "Store:Provider" },
        { "postgres without a connection string", 2, "Store:ConnectionString" },
        { "postgres without a secrets key", 2, "Secrets:EncryptionKey" },
        { "a malformed PostgreSQL connection string", 2, "Store:ConnectionString" },
        { "a malformed SQLite connection string", 2, "Store:ConnectionString" },
        { "a secrets key that is not base64", 2, "Secrets:EncryptionKey" },
        { "a signing key that is too short", 2, "Auth:SigningKey" },
        { "a time-out that is not a number", 2, "Store:CommandTimeoutSeconds" },
        { "a rate limit for no policy", 2, "RateLimits:PerMinute:nope" },
        { "operations kept shorter than idempotency keys", 2, "Retention:OperationsDays" },
        { "PostgreSQL that is not running", 3, "Store:ConnectionString" },
        { "PostgreSQL without the database", 3, "Store:ConnectionString" },
        { "a SQLite file that is not a database", 3, "Store:ConnectionString" },
        { "a store with pending migrations", 4, "Store:AutoMigrate" },
        { "an address already in use", 5, "--urls" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_start_with_one_mistake_prints_one_line_naming_the_setting_and_exits_with_its_code(string mistake, int exitCode, string setting)
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var settings = await SettingsWithAsync(mistake, ((IPEndPoint)holder.LocalEndpoint).Port);

        var (code, stdout, stderr) = await RunAsync(settings);

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("partnerships-api: ", line);
        Assert.Contains(setting, line);
        Assert.Equal(exitCode, code);
        Assert.DoesNotContain("   at ", stdout + stderr);
        Assert.DoesNotContain("Exception", stdout + stderr);
    }

    private async Task<Dictionary<string, string>> SettingsWithAsync(string mistake, int heldPort)
    {
        var postgres = new Dictionary<string, string> { ["Store:Provider"] = "postgres", ["Secrets:EncryptionKey"] = SecretKey };
        switch (mistake)
        {
            case "an unknown store provider": return new() { ["Store:Provider"] = "mysql" };
            case "postgres without a connection string": return postgres;
            case "postgres without a secrets key": return new() { ["Store:Provider"] = "postgres", ["Store:ConnectionString"] = "Host=127.0.0.1;Database=partnerships" };
            case "a malformed PostgreSQL connection string": return With(postgres, "Store:ConnectionString", "Hots=127.0.0.1;Database=partnerships");
            case "a malformed SQLite connection string": return new() { ["Store:ConnectionString"] = "Data Sourc=partnerships.db" };
            case "a secrets key that is not base64": return new() { ["Secrets:EncryptionKey"] = "not-base64!" };
            case "a signing key that is too short": return new() { ["Auth:SigningKey"] = Convert.ToBase64String(new byte[8]) };
            case "a time-out that is not a number": return new() { ["Store:CommandTimeoutSeconds"] = "ten" };
            case "a rate limit for no policy": return new() { ["RateLimits:PerMinute:nope"] = "10" };
            case "operations kept shorter than idempotency keys": return new() { ["Retention:OperationsDays"] = "1", ["Idempotency:TtlSeconds"] = "172800" };
            case "PostgreSQL that is not running":
                // The port the test holds answers no PostgreSQL handshake: a free one refuses the connection outright.
                return With(postgres, "Store:ConnectionString", $"Host=127.0.0.1;Port={FreePort.Next()};Database=partnerships;Timeout=5");
            case "PostgreSQL without the database":
            {
                var cluster = new NpgsqlConnectionStringBuilder((await PostgresCluster.SharedAsync()).AdminConnectionString)
                {
                    Database = "partnerships_missing_" + Guid.NewGuid().ToString("N"),
                };
                return With(postgres, "Store:ConnectionString", cluster.ConnectionString);
            }
            case "a SQLite file that is not a database":
            {
                var file = Path.Combine(_folder, "not-a-database.db");
                await File.WriteAllTextAsync(file, new string('x', 8192));
                return new() { ["Store:ConnectionString"] = $"Data Source={file}" };
            }
            case "a store with pending migrations":
                return With(postgres, "Store:ConnectionString", await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync());
            case "an address already in use": return new() { ["urls"] = $"http://127.0.0.1:{heldPort}" };
            default: throw new ArgumentOutOfRangeException(nameof(mistake), mistake, null);
        }
    }

    private static Dictionary<string, string> With(Dictionary<string, string> settings, string key, string value) => new(settings) { [key] = value };

    private async Task<(int Code, string Stdout, string Stderr)> RunAsync(Dictionary<string, string> settings)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _folder,
        };
        info.ArgumentList.Add(BuiltAssemblies.Find("Partnerships.Api", "Partnerships.Api.dll"));
        if (!settings.ContainsKey("urls")) info.ArgumentList.Add($"--urls=http://127.0.0.1:{FreePort.Next()}");
        info.ArgumentList.Add($"--Store:DataDirectory={Path.Combine(_folder, "data")}");
        foreach (var (k, v) in settings) info.ArgumentList.Add($"--{k}={v}");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the service did not exit: " + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
