using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Partnerships.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temp folder, started on a free 127.0.0.1 port, removed on dispose.
/// Missing server binaries are an error, never a silent skip. PARTNERSHIPS_TEST_PG points at an existing server instead.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string Prefix = "partnerships-pg-";
    private const string OsUser = "postgres";
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static PostgresCluster? _shared;
    private readonly string? _dataDir;
    private readonly string? _root;
    private readonly string? _bin;

    private PostgresCluster(string adminConnectionString, string? root, string? dataDir, string? bin, int port)
    {
        AdminConnectionString = adminConnectionString;
        _root = root;
        _dataDir = dataDir;
        _bin = bin;
        Port = port;
    }

    public string AdminConnectionString { get; }
    public int Port { get; }

    /// <summary>One cluster per test process, stopped when the process exits.</summary>
    public static async Task<PostgresCluster> SharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            return _shared;
        }
        finally
        {
            SharedGate.Release();
        }
    }

    public static async Task<PostgresCluster> StartAsync(CancellationToken ct = default)
    {
        if (Environment.GetEnvironmentVariable("PARTNERSHIPS_TEST_PG") is { Length: > 0 } existing)
        {
            return new PostgresCluster(existing, null, null, null, new NpgsqlConnectionStringBuilder(existing).Port);
        }
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found. Run scripts/test, which installs Debian's postgresql package, or set PG_BIN.");
        StopStaleClusters(bin);
        var root = Directory.CreateTempSubdirectory(Prefix).FullName;
        var data = Path.Combine(root, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            EnsureOsUser();
            Run("chown", ["-R", OsUser, root]);
            Run("chmod", ["755", root]);
        }
        await RunAsync(bin, "initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], asRoot, ct);
        var port = FreePort.Next();
        var log = Path.Combine(root, "postgres.log");
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB";
        try
        {
            await RunAsync(bin, "pg_ctl", ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"], asRoot, ct);
        }
        catch (InvalidOperationException e)
        {
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
            throw new InvalidOperationException(e.Message + "\n" + tail, e);
        }
        var cs = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        return new PostgresCluster(cs, root, data, bin, port);
    }

    /// <summary>A fresh, uniquely named database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "p_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 100 }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDir is null || _bin is null || _root is null) return;
        try { await RunAsync(_bin, "pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"], Environment.UserName == "root", default); }
        catch (InvalidOperationException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string? FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } env) candidates.Add(env);
        candidates.Add("/usr/lib/postgresql/15/bin");
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d).Select(d => Path.Combine(d, "bin")));
        }
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "initdb")) && File.Exists(Path.Combine(c, "pg_ctl")));
    }

    /// <summary>Clusters left behind by a killed test run are stopped and removed before a new one starts.</summary>
    private static void StopStaleClusters(string bin)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var data = Path.Combine(dir, "data");
            var pidFile = Path.Combine(data, "postmaster.pid");
            try
            {
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid))
                {
                    try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
                }
                if (!File.Exists(pidFile) || Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddHours(-6) || !IsRunning(pidFile))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        _ = bin;
    }

    private static bool IsRunning(string pidFile)
    {
        if (!int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)) return false;
        try { return !Process.GetProcessById(pid).HasExited; } catch (ArgumentException) { return false; }
    }

    private static void EnsureOsUser()
    {
        if (Run("id", ["-u", OsUser], throwOnError: false) == 0) return;
        Run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OsUser]);
    }

    private static async Task RunAsync(string bin, string tool, IEnumerable<string> args, bool asRoot, CancellationToken ct)
    {
        var info = asRoot ? new ProcessStartInfo("runuser") : new ProcessStartInfo(Path.Combine(bin, tool));
        if (asRoot)
        {
            foreach (var a in new[] { "-u", OsUser, "--", Path.Combine(bin, tool) }) info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int Run(string file, string[] args, bool throwOnError = true)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.WaitForExit();
        if (throwOnError && process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
        return process.ExitCode;
    }
}
